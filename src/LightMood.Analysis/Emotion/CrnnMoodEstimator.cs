using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// The CRNN mood estimator (Chen 2024, section 3.2: convolution and pooling over the log-mel spectrogram reduce the
/// 96 mel bands to one while keeping time, a GRU runs over time) running the ONNX model trained by
/// <c>src/training/train.py</c> (models/crnn.onnx, see models/MODEL_CARD.md).
/// </summary>
/// <remarks>
/// Model contract: input <c>mel</c> float [N, 128, 96] raw log-mel dB (<see cref="MoodWindow"/>; the per-band
/// normalisation is inside the graph); outputs <c>logits</c> [N, 4] in <see cref="Mood"/> order,
/// <c>valence_arousal</c> [N, 2] (tanh) and <c>embedding</c> [N, E]. It is checked when the estimator is built: a
/// missing, corrupt or mismatched file throws one <see cref="MoodModelException"/> naming the file and the mismatch.
/// One <see cref="InferenceSession"/> (one intra-op thread) is reused with input/output <see cref="OrtValue"/>s over
/// pre-allocated pinned arrays, so a call allocates only the arrays of the returned <see cref="MoodEstimate"/>.
/// Calls are serialised by a lock (the buffers are shared).
/// </remarks>
public sealed class CrnnMoodEstimator : IMoodEstimator, IDisposable
{
    public const string InputName = "mel";
    public const string LogitsName = "logits";
    public const string ValenceArousalName = "valence_arousal";
    public const string EmbeddingName = "embedding";

    /// <summary>The model's file name under <c>models/</c>, next to the executable or at the repository top.</summary>
    public const string ModelFileName = "crnn.onnx";

    /// <summary>Environment variable that overrides where <see cref="ResolveModelPath"/> looks.</summary>
    public const string ModelPathVariable = "LIGHTMOOD_CRNN_MODEL";

    private const int Bands = 96;
    private static readonly string[] OutputNames = [LogitsName, ValenceArousalName, EmbeddingName];
    private static readonly string[] InputNames = [InputName];

    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input = new float[MoodWindow.Frames * Bands];
    private readonly float[] _logits = new float[4];
    private readonly float[] _valenceArousal = new float[2];
    private readonly float[] _embedding;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly Lock _gate = new();

    /// <summary>Loads and validates the model at <paramref name="modelPath"/>.</summary>
    /// <exception cref="MoodModelException">The file is missing, not an ONNX model, or its inputs/outputs differ from the contract.</exception>
    public CrnnMoodEstimator(string modelPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ModelPath = Path.GetFullPath(modelPath);
        if (!File.Exists(ModelPath))
        {
            throw new MoodModelException(ModelPath, "model file not found");
        }

        var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        try
        {
            _session = new InferenceSession(ModelPath, options);
        }
        catch (OnnxRuntimeException e)
        {
            options.Dispose();
            throw new MoodModelException(ModelPath, "not a loadable ONNX model (" + e.Message.Trim() + ")", e);
        }

        options.Dispose();
        try
        {
            CheckTensor(_session.InputMetadata, InputName, "input", [MoodWindow.Frames, Bands]);
            CheckTensor(_session.OutputMetadata, LogitsName, "output", [4]);
            CheckTensor(_session.OutputMetadata, ValenceArousalName, "output", [2]);
            var embeddingSize = CheckTensor(_session.OutputMetadata, EmbeddingName, "output", null);
            _embedding = new float[embeddingSize];
        }
        catch
        {
            _session.Dispose();
            _runOptions.Dispose();
            throw;
        }

        _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, [1, MoodWindow.Frames, Bands])];
        _outputValues =
        [
            OrtValue.CreateTensorValueFromMemory(_logits, [1, 4]),
            OrtValue.CreateTensorValueFromMemory(_valenceArousal, [1, 2]),
            OrtValue.CreateTensorValueFromMemory(_embedding, [1, _embedding.Length]),
        ];
    }

    /// <summary>The full path of the loaded model.</summary>
    public string ModelPath { get; }

    /// <summary>Length of <see cref="MoodEstimate.Embedding"/>.</summary>
    public int EmbeddingSize => _embedding.Length;

    /// <summary>
    /// Where the model is looked for: <c>$LIGHTMOOD_CRNN_MODEL</c> if set; else <c>models/crnn.onnx</c> next to the
    /// executable (the build copies it there); else <c>models/crnn.onnx</c> in the working directory or one of its
    /// parents (a repository checkout). Returns the first candidate that exists, or the executable-relative path
    /// (which the constructor then reports as missing).
    /// </summary>
    public static string ResolveModelPath()
    {
        var fromEnv = Environment.GetEnvironmentVariable(ModelPathVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return fromEnv;
        }

        var besideExe = Path.Combine(AppContext.BaseDirectory, "models", ModelFileName);
        if (File.Exists(besideExe))
        {
            return besideExe;
        }

        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models", ModelFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return besideExe;
    }

    /// <inheritdoc />
    public MoodEstimate Estimate(ReadOnlySpan<float> melWindow)
    {
        if (melWindow.Length != _input.Length)
        {
            throw new ArgumentException($"A CRNN window holds {MoodWindow.Frames}×{Bands} = {_input.Length} values, got {melWindow.Length}.", nameof(melWindow));
        }

        lock (_gate)
        {
            melWindow.CopyTo(_input);
            _session.Run(_runOptions, InputNames, _inputValues, OutputNames, _outputValues);
            return new MoodEstimate(Softmax(_logits), _valenceArousal[0], _valenceArousal[1], (float[])_embedding.Clone());
        }
    }

    /// <summary>Numerically stable softmax: p_i = exp(z_i − max z) / Σ_j exp(z_j − max z).</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var max = float.NegativeInfinity;
        foreach (var z in logits)
        {
            max = MathF.Max(max, z);
        }

        var p = new float[logits.Length];
        var sum = 0f;
        for (var i = 0; i < p.Length; i++)
        {
            p[i] = MathF.Exp(logits[i] - max);
            sum += p[i];
        }

        for (var i = 0; i < p.Length; i++)
        {
            p[i] /= sum;
        }

        return p;
    }

    public void Dispose()
    {
        foreach (var v in _inputValues)
        {
            v.Dispose();
        }

        foreach (var v in _outputValues)
        {
            v.Dispose();
        }

        _runOptions.Dispose();
        _session.Dispose();
    }

    /// <summary>Checks a float tensor named <paramref name="name"/> of shape [batch, trailing...]; returns its last dimension.</summary>
    private int CheckTensor(IReadOnlyDictionary<string, NodeMetadata> metadata, string name, string kind, int[]? trailing)
    {
        if (!metadata.TryGetValue(name, out var meta))
        {
            throw new MoodModelException(ModelPath, $"the model has no {kind} named '{name}' (it has: {string.Join(", ", metadata.Keys)})");
        }

        var dims = meta.Dimensions;
        var shape = "[" + string.Join(", ", dims) + "]";
        if (!meta.IsTensor || meta.ElementType != typeof(float))
        {
            throw new MoodModelException(ModelPath, $"{kind} '{name}' must be a float tensor, got {meta.ElementDataType}");
        }

        if (trailing is null)
        {
            if (dims.Length != 2 || dims[1] <= 0)
            {
                throw new MoodModelException(ModelPath, $"{kind} '{name}' must have shape [N, E] with a fixed E, got {shape}");
            }

            return dims[1];
        }

        var expected = "[N, " + string.Join(", ", trailing) + "]";
        if (dims.Length != trailing.Length + 1 || dims[0] is not (-1 or 1) || !dims.AsSpan(1).SequenceEqual(trailing))
        {
            throw new MoodModelException(ModelPath, $"{kind} '{name}' must have shape {expected}, got {shape}");
        }

        return dims[^1];
    }
}
