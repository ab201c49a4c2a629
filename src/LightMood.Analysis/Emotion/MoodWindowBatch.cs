using Microsoft.ML.OnnxRuntime;

namespace LightMood.Analysis.Emotion;

/// <summary>
/// Up to <see cref="Capacity"/> CRNN windows run in one ONNX Runtime call (the offline verbs), over input and output
/// buffers allocated once: write each window into <see cref="MelWindow"/>/<see cref="ChromaWindow"/>, call
/// <see cref="Run"/>, read the results back. Made by <see cref="CrnnMoodEstimator.CreateBatch"/>.
/// </summary>
/// <remarks>
/// A model with the strip inputs (<see cref="CrnnMoodEstimator.StripInputName"/>, <see cref="CrnnMoodEstimator.StartsInputName"/>;
/// the round-3 members, whose front end is frame-local with time-valid convolutions) also gets the batch's mel frames
/// once as one strip: windows whose starts (<see cref="SetStart"/>) are 8k frames apart and overlap share the strip's
/// frames, so the convolutional front end runs once per frame instead of once per window; a window whose start is not
/// given, or does not align, starts its own stretch of the strip (the same cost as window by window, the same results).
/// The input arrays are laid out as the model's <c>mel</c> [N, 128, 96] and <c>chroma</c> [N, 128, 12] tensors, so
/// windows are written straight into them; <see cref="OrtValue"/>s over the full capacity are made once, a shorter
/// (last) batch gets views of the same memory. A batch is one thread's: several batches of one estimator may run at
/// once (ONNX Runtime's <c>Run</c> is thread-safe and the buffers are each batch's own).
/// </remarks>
public sealed class MoodWindowBatch : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames;
    private readonly string[] _outputNames;
    private readonly int _melBlock;
    private readonly int _chromaBlock;
    private readonly float[] _mel;
    private readonly float[] _chroma;
    private readonly float[] _logits;
    private readonly float[] _valenceArousal;
    private readonly float[] _embedding;
    private readonly OrtValue[] _fullInputs;
    private readonly OrtValue[] _fullOutputs;
    private readonly RunOptions _runOptions = new();
    private readonly bool _strip;
    private readonly int _bands;
    private readonly long[] _windowStarts;
    private readonly long[] _stripSteps;
    private readonly float[] _stripFrames;

    internal MoodWindowBatch(InferenceSession session, string[] inputNames, string[] outputNames, int capacity, int bands, int chromaBands, int embeddingSize, bool strip = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _session = session;
        _inputNames = inputNames;
        _outputNames = outputNames;
        Capacity = capacity;
        EmbeddingSize = embeddingSize;
        _melBlock = MoodWindow.Frames * bands;
        _chromaBlock = MoodWindow.Frames * chromaBands;
        _mel = new float[capacity * _melBlock];
        _chroma = new float[capacity * _chromaBlock];
        _logits = new float[capacity * MoodNames.Count];
        _valenceArousal = new float[capacity * 2];
        _embedding = new float[capacity * embeddingSize];
        _strip = strip;
        _bands = bands;
        _windowStarts = new long[capacity];
        Array.Fill(_windowStarts, -1);
        _stripSteps = strip ? new long[capacity] : [];
        _stripFrames = strip ? new float[capacity * _melBlock] : [];
        _fullInputs = strip ? [] : Inputs(capacity);
        _fullOutputs = Outputs(capacity);
    }

    /// <summary>Frames between strip steps of the framewise front end (three 2× time poolings).</summary>
    public const int StripStride = 8;

    /// <summary>
    /// Says that window <paramref name="index"/> starts at mel frame <paramref name="firstFrame"/> of its stream (−1:
    /// unknown). Windows of one batch with known starts 8k frames apart share the model's front end; results do not
    /// depend on it. Cleared by <see cref="Run"/>.
    /// </summary>
    public void SetStart(int index, long firstFrame) => _windowStarts[Check(index)] = firstFrame;

    /// <summary>Windows one <see cref="Run"/> takes at most.</summary>
    public int Capacity { get; }

    /// <summary>Length of each window's embedding.</summary>
    public int EmbeddingSize { get; }

    /// <summary>Window <paramref name="index"/>'s mel block (<see cref="MoodWindow.Frames"/> × 96 dB, time-major) to write.</summary>
    public Span<float> MelWindow(int index) => _mel.AsSpan(Check(index) * _melBlock, _melBlock);

    /// <summary>Window <paramref name="index"/>'s chroma block (<see cref="MoodWindow.Frames"/> × 12, time-major; empty when the model reads no chroma).</summary>
    public Span<float> ChromaWindow(int index) => _chroma.AsSpan(Check(index) * _chromaBlock, _chromaBlock);

    /// <summary>
    /// Copies a window in the layout of <see cref="IMoodEstimator.Estimate"/> (mel block, then chroma block) into slot
    /// <paramref name="index"/>.
    /// </summary>
    public void SetWindow(int index, ReadOnlySpan<float> window)
    {
        if (window.Length != _melBlock + _chromaBlock)
        {
            throw new ArgumentException($"A CRNN window holds {_melBlock + _chromaBlock} values, got {window.Length}.", nameof(window));
        }

        window[.._melBlock].CopyTo(MelWindow(index));
        window[_melBlock..].CopyTo(ChromaWindow(index));
    }

    /// <summary>Runs the model on windows [0, <paramref name="count"/>); their results replace the previous run's.</summary>
    public void Run(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        if (_strip)
        {
            RunStrip(count);
            return;
        }

        if (count == Capacity)
        {
            _session.Run(_runOptions, _inputNames, _fullInputs, _outputNames, _fullOutputs);
            return;
        }

        // a shorter batch (a file's last): views of the same buffers with the batch dimension cut
        RunOnce(Inputs(count), Outputs(count));
    }

    /// <summary>One model run over tensor views made for it, which it disposes.</summary>
    private void RunOnce(OrtValue[] inputs, OrtValue[] outputs)
    {
        try
        {
            _session.Run(_runOptions, _inputNames, inputs, _outputNames, outputs);
        }
        finally
        {
            foreach (var v in inputs)
            {
                v.Dispose();
            }

            foreach (var v in outputs)
            {
                v.Dispose();
            }
        }
    }

    /// <summary>Window <paramref name="index"/>'s calibrated posterior (softmax of the model's logits) into <paramref name="destination"/> (4 values, <see cref="Mood"/> order).</summary>
    public void Probabilities(int index, Span<float> destination) =>
        CrnnMoodEstimator.Softmax(_logits.AsSpan(Check(index) * MoodNames.Count, MoodNames.Count), destination);

    /// <summary>Window <paramref name="index"/>'s valence in [−1, 1].</summary>
    public float Valence(int index) => _valenceArousal[Check(index) * 2];

    /// <summary>Window <paramref name="index"/>'s arousal in [−1, 1].</summary>
    public float Arousal(int index) => _valenceArousal[(Check(index) * 2) + 1];

    /// <summary>Window <paramref name="index"/>'s embedding (valid until the next <see cref="Run"/>).</summary>
    public ReadOnlySpan<float> Embedding(int index) => _embedding.AsSpan(Check(index) * EmbeddingSize, EmbeddingSize);

    /// <summary>Window <paramref name="index"/>'s result as a <see cref="MoodEstimate"/> (allocates its arrays).</summary>
    public MoodEstimate Estimate(int index)
    {
        var p = new float[MoodNames.Count];
        Probabilities(index, p);
        return new MoodEstimate(p, Valence(index), Arousal(index), Embedding(index).ToArray());
    }

    /// <summary>
    /// Lays the windows out on one strip of frames (an aligned, overlapping window continues the previous stretch; any
    /// other starts a new one at the next multiple of <see cref="StripStride"/>) and runs the model once.
    /// </summary>
    private void RunStrip(int count)
    {
        var frames = MoodWindow.Frames;
        long stripFrame = 0;
        for (var i = 0; i < count; i++)
        {
            // frames of this window not on the strip yet: all of them, or the last `gap` of a continuing window
            var fresh = frames;
            if (i > 0)
            {
                var start = _windowStarts[i];
                var previous = _windowStarts[i - 1];
                var gap = start - previous;
                var continues = start >= 0 && previous >= 0 && gap >= 0 && gap < frames && gap % StripStride == 0;
                stripFrame = (_stripSteps[i - 1] * StripStride) + (continues ? gap : frames);
                fresh = continues ? (int)gap : frames;
            }

            _stripSteps[i] = stripFrame / StripStride;
            var skip = (frames - fresh) * _bands;
            _mel.AsSpan((i * _melBlock) + skip, _melBlock - skip).CopyTo(_stripFrames.AsSpan(((int)stripFrame * _bands) + skip));
        }

        var stripLength = (int)stripFrame + frames;
        Array.Fill(_windowStarts, -1, 0, count);
        RunOnce(
            [
                .. Inputs(count),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _stripFrames.AsMemory(0, stripLength * _bands), [1, stripLength, _bands]),
                OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _stripSteps.AsMemory(0, count), [count]),
            ],
            Outputs(count));
    }

    public void Dispose()
    {
        foreach (var v in _fullInputs)
        {
            v.Dispose();
        }

        foreach (var v in _fullOutputs)
        {
            v.Dispose();
        }

        _runOptions.Dispose();
    }

    private int Check(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Capacity);
        return index;
    }

    private OrtValue[] Inputs(int count)
    {
        var mel = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _mel.AsMemory(0, count * _melBlock), [count, MoodWindow.Frames, _melBlock / MoodWindow.Frames]);
        return _chromaBlock == 0
            ? [mel]
            : [mel, OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _chroma.AsMemory(0, count * _chromaBlock), [count, MoodWindow.Frames, _chromaBlock / MoodWindow.Frames])];
    }

    private OrtValue[] Outputs(int count) =>
    [
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _logits.AsMemory(0, count * MoodNames.Count), [count, MoodNames.Count]),
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _valenceArousal.AsMemory(0, count * 2), [count, 2]),
        OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _embedding.AsMemory(0, count * EmbeddingSize), [count, EmbeddingSize]),
    ];
}
