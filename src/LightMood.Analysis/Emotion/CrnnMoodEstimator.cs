using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// The CRNN mood estimator (Chen 2024, section 3.2: convolution and pooling over the log-mel spectrogram reduce the
/// 96 mel bands to one while keeping time, a GRU runs over time) running the ONNX model trained by
/// <c>src/training/train.py</c> (models/crnn.onnx, see models/MODEL_CARD.md).
/// </summary>
/// <remarks>
/// Model contract: input <c>mel</c> float [N, 128, 96] raw log-mel dB (<see cref="MoodWindow"/>; the level and
/// per-band normalisation are inside the graph) and, when the model has it, input <c>chroma</c> float [N, 128, 12]
/// (the same frames' <see cref="Dsp.Chromagram"/>; then <see cref="ChromaBands"/> is 12) and, when the model has them
/// (<see cref="TakesStrip"/>), inputs <c>strip</c> float [1, S, 96] and <c>starts</c> int64 [N]: the frames the windows
/// were cut from, window i starting at strip frame 8 × starts[i] (the front end runs once over the strip; live, the
/// strip is the window itself); outputs <c>logits</c> [N, 4] in <see cref="Mood"/> order,
/// <c>valence_arousal</c> [N, 2] (tanh) and <c>embedding</c> [N, E]. It is checked when the estimator is built: a
/// missing, corrupt or mismatched file throws one <see cref="MoodModelException"/> naming the file and the mismatch.
/// One <see cref="InferenceSession"/> (one intra-op thread) is reused with input/output <see cref="OrtValue"/>s over
/// pre-allocated pinned arrays, so a call allocates only the arrays of the returned <see cref="MoodEstimate"/>.
/// Calls are serialised by a lock (the buffers are shared).
/// </remarks>
public sealed class CrnnMoodEstimator : IMoodEstimator, IDisposable
{
    public const string InputName = "mel";
    public const string ChromaInputName = "chroma";
    public const string StripInputName = "strip";
    public const string StartsInputName = "starts";
    public const string LogitsName = "logits";
    public const string ValenceArousalName = "valence_arousal";
    public const string EmbeddingName = "embedding";

    /// <summary>The model's file name under <c>models/</c>, next to the executable or at the repository top.</summary>
    public const string ModelFileName = "crnn.onnx";

    /// <summary>Environment variable that overrides where <see cref="ResolveModelPath"/> looks.</summary>
    public const string ModelPathVariable = "LIGHTMOOD_CRNN_MODEL";

    private const int Bands = 96;
    private static readonly string[] OutputNames = [LogitsName, ValenceArousalName, EmbeddingName];

    private readonly string[] _inputNames;
    private readonly InferenceSession _session;
    private readonly RunOptions _runOptions = new();
    private readonly float[] _input = new float[MoodWindow.Frames * Bands];
    private readonly float[] _chroma;
    private readonly long[] _zeroStart = [0];
    private readonly float[] _logits = new float[4];
    private readonly float[] _valenceArousal = new float[2];
    private readonly float[] _embedding;
    private readonly OrtValue[] _inputValues;
    private readonly OrtValue[] _outputValues;
    private readonly Lock _gate = new();

    /// <summary>ONNX Runtime's telemetry is off before its environment is first created (<see cref="OnnxRuntimeTelemetry"/>).</summary>
    static CrnnMoodEstimator() => OnnxRuntimeTelemetry.TurnOff();

    /// <summary>Loads and validates the model at <paramref name="modelPath"/>.</summary>
    /// <param name="modelPath">The ONNX file.</param>
    /// <param name="session">How ONNX Runtime runs it (default <see cref="CrnnSessionSettings.Live"/>: one intra-op thread, all graph optimisations).</param>
    /// <exception cref="MoodModelException">The file is missing, not an ONNX model, or its inputs/outputs differ from the contract.</exception>
    public CrnnMoodEstimator(string modelPath, CrnnSessionSettings? session = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        session ??= CrnnSessionSettings.Live;
        ArgumentOutOfRangeException.ThrowIfLessThan(session.IntraOpThreads, 1, nameof(session));
        ModelPath = Path.GetFullPath(modelPath);
        if (!File.Exists(ModelPath))
        {
            throw new MoodModelException(ModelPath, "model file not found");
        }

        SessionOptions Options(GraphOptimizationLevel level, string? saveOptimisedTo)
        {
            var options = new SessionOptions
            {
                IntraOpNumThreads = session.IntraOpThreads,
                InterOpNumThreads = 1,
                ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
                GraphOptimizationLevel = level,
                // ONNX Runtime's own log goes to stderr; its errors reach us as exceptions, reported once with the file
                // (a CLI's stderr and the daemon's one-line start-up errors stay clean)
                LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL,
            };
            if (saveOptimisedTo is not null)
            {
                options.OptimizedModelFilePath = saveOptimisedTo;
            }

            return options;
        }

        var fromCache = false;
        var cached = session.OptimisedGraphs?.Open(ModelPath, session.Optimization, Options, out fromCache);
        LoadedFromCache = cached is not null && fromCache;
        if (cached is not null)
        {
            _session = cached;
        }
        else
        {
            using var options = Options(session.Optimization, null);
            try
            {
                _session = new InferenceSession(ModelPath, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new MoodModelException(ModelPath, "not a loadable ONNX model (" + e.Message.Trim() + ")", e);
            }
        }

        try
        {
            CheckTensor(_session.InputMetadata, InputName, "input", [MoodWindow.Frames, Bands]);
            if (_session.InputMetadata.ContainsKey(ChromaInputName))
            {
                ChromaBands = CheckTensor(_session.InputMetadata, ChromaInputName, "input", [MoodWindow.Frames, Dsp.Chromagram.PitchClasses]);
            }

            if (_session.InputMetadata.ContainsKey(StripInputName) || _session.InputMetadata.ContainsKey(StartsInputName))
            {
                CheckStrip(_session.InputMetadata);
                TakesStrip = true;
            }

            if (_session.InputMetadata.Count != (ChromaBands > 0 ? 2 : 1) + (TakesStrip ? 2 : 0))
            {
                throw new MoodModelException(ModelPath, $"the model's inputs are {string.Join(", ", _session.InputMetadata.Keys)}; expected '{InputName}', optionally '{ChromaInputName}', optionally '{StripInputName}' with '{StartsInputName}'");
            }

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

        _chroma = new float[MoodWindow.Frames * ChromaBands];
        _inputNames = ChromaBands > 0 ? [InputName, ChromaInputName] : [InputName];
        _inputValues = ChromaBands > 0
            ?
            [
                OrtValue.CreateTensorValueFromMemory(_input, [1, MoodWindow.Frames, Bands]),
                OrtValue.CreateTensorValueFromMemory(_chroma, [1, MoodWindow.Frames, ChromaBands]),
            ]
            : [OrtValue.CreateTensorValueFromMemory(_input, [1, MoodWindow.Frames, Bands])];
        if (TakesStrip)
        {
            // live: the strip is the window itself (the same memory), its one window starting at step 0
            _inputNames = [.. _inputNames, StripInputName, StartsInputName];
            _inputValues =
            [
                .. _inputValues,
                OrtValue.CreateTensorValueFromMemory(_input, [1, MoodWindow.Frames, Bands]),
                OrtValue.CreateTensorValueFromMemory(_zeroStart, [1]),
            ];
        }
        _outputValues =
        [
            OrtValue.CreateTensorValueFromMemory(_logits, [1, 4]),
            OrtValue.CreateTensorValueFromMemory(_valenceArousal, [1, 2]),
            OrtValue.CreateTensorValueFromMemory(_embedding, [1, _embedding.Length]),
        ];
    }

    /// <summary>The full path of the loaded model.</summary>
    public string ModelPath { get; }

    /// <summary>Whether the session came from a saved optimised graph (<see cref="CrnnSessionSettings.OptimisedGraphs"/>).</summary>
    public bool LoadedFromCache { get; }

    /// <summary>Whether the model takes the strip inputs (a front end shared by overlapping windows of a batch).</summary>
    public bool TakesStrip { get; }

    /// <summary>12 when the model reads the window's chroma (input <c>chroma</c>), else 0.</summary>
    public int ChromaBands { get; }

    /// <summary>Values per window: the mel block, then the chroma block.</summary>
    public int WindowLength => MoodWindow.Frames * (Bands + ChromaBands);

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
        if (melWindow.Length != WindowLength)
        {
            throw new ArgumentException($"A CRNN window holds {MoodWindow.Frames}×({Bands} + {ChromaBands}) = {WindowLength} values, got {melWindow.Length}.", nameof(melWindow));
        }

        lock (_gate)
        {
            melWindow[.._input.Length].CopyTo(_input);
            melWindow[_input.Length..].CopyTo(_chroma);
            _session.Run(_runOptions, _inputNames, _inputValues, OutputNames, _outputValues);
            return new MoodEstimate(Softmax(_logits), _valenceArousal[0], _valenceArousal[1], (float[])_embedding.Clone());
        }
    }

    /// <summary>
    /// Buffers for up to <paramref name="capacity"/> windows per model run (the offline verbs: <see cref="MoodWindowBatch"/>).
    /// Each thread uses its own batch; they share this estimator's session.
    /// </summary>
    public MoodWindowBatch CreateBatch(int capacity) =>
        new(_session, _inputNames, OutputNames, capacity, Bands, ChromaBands, EmbeddingSize, TakesStrip);

    /// <summary>
    /// Many windows in one run (offline verbs): <paramref name="windows"/> holds <paramref name="count"/> windows of
    /// <see cref="WindowLength"/> values each, in the layout of <see cref="Estimate"/>. Same results as one by one.
    /// Safe to call from several threads at once (its buffers are its own). A caller that runs many batches keeps a
    /// <see cref="CreateBatch"/> instead (buffers allocated once).
    /// </summary>
    public MoodEstimate[] EstimateBatch(ReadOnlySpan<float> windows, int count)
    {
        if (count < 0 || windows.Length != count * WindowLength)
        {
            throw new ArgumentException($"Need {count} windows of {WindowLength} values, got {windows.Length} values.", nameof(windows));
        }

        if (count == 0)
        {
            return [];
        }

        using var batch = CreateBatch(count);
        for (var i = 0; i < count; i++)
        {
            batch.SetWindow(i, windows.Slice(i * WindowLength, WindowLength));
        }

        batch.Run(count);
        var result = new MoodEstimate[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = batch.Estimate(i);
        }

        return result;
    }

    /// <summary>Numerically stable softmax: p_i = exp(z_i − max z) / Σ_j exp(z_j − max z).</summary>
    public static float[] Softmax(ReadOnlySpan<float> logits)
    {
        var p = new float[logits.Length];
        Softmax(logits, p);
        return p;
    }

    /// <summary>Softmax of <paramref name="logits"/> into <paramref name="p"/> (same length), allocation-free.</summary>
    public static void Softmax(ReadOnlySpan<float> logits, Span<float> p) => Emotion.Softmax.Of(logits, p);

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

    /// <summary>Checks the strip inputs: <c>strip</c> float [1, S, 96] and <c>starts</c> int64 [N].</summary>
    private void CheckStrip(IReadOnlyDictionary<string, NodeMetadata> metadata)
    {
        if (!metadata.TryGetValue(StripInputName, out var strip) || !metadata.TryGetValue(StartsInputName, out var starts))
        {
            throw new MoodModelException(ModelPath, $"the model has one of '{StripInputName}' and '{StartsInputName}' without the other");
        }

        if (!strip.IsTensor || strip.ElementType != typeof(float) || strip.Dimensions.Length != 3 || strip.Dimensions[2] != Bands)
        {
            throw new MoodModelException(ModelPath, $"input '{StripInputName}' must be a float tensor [1, S, {Bands}], got [{string.Join(", ", strip.Dimensions)}]");
        }

        if (!starts.IsTensor || starts.ElementType != typeof(long) || starts.Dimensions.Length != 1)
        {
            throw new MoodModelException(ModelPath, $"input '{StartsInputName}' must be an int64 tensor [N], got {starts.ElementDataType} [{string.Join(", ", starts.Dimensions)}]");
        }
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
