using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>
/// Offline batching (<see cref="MusicAnalyzerOptions.BatchWindows"/>): the features run ahead of the soft cut by up to
/// one batch of mood windows, so that the model runs many windows in one call, and the soft cut then receives exactly
/// the calls it would have received live, in the same order.
/// </summary>
/// <remarks>
/// While a batch fills, every call meant for the <see cref="SoftCutSegmenter"/> (a frame and its mean square, a contrast
/// candidate, a window) is recorded as a <see cref="SegmenterStep"/>, the mel and chroma frames go to front rings long
/// enough to hold a batch, and each window due is copied into the batch's input slot. When the batch is full (or the
/// stream ends) the model runs once and the steps are replayed: each frame is added to the segmenter's own rings (the
/// mel ring it reads, and the chroma ring, in step with it) and <see cref="SoftCutSegmenter.AddFrame"/> called, candidates and estimates passed on. The segmenter therefore sees
/// the same inputs in the same order as in live mode and gives the same regions and boundaries (tested:
/// <c>BatchedAnalysisTests</c>). Whether a window lies in silence (no model run, <see cref="InSilenceSince"/>) is
/// only known at replay; a shadow <see cref="SilenceGate"/> fed the same frames predicts it so that silence costs no
/// model run, and a window the prediction got wrong is estimated on its own at replay (never a different answer, at
/// worst one model run more or wasted). A batch is also replayed, however few windows it holds, once it has recorded
/// a batch's worth of frames (<see cref="MusicAnalyzerOptions.BatchWindows"/> × hop): in silence no window enters it, and
/// the front ring must not be outrun. Beats are raised as the features reach them; boundaries, regions and
/// <see cref="StateUpdated"/> at replay, up to one batch (≈ 8 s at 16 windows) later in stream time.
/// Allocation-free per frame after the first batch (the step list keeps its capacity).
/// </remarks>
public sealed partial class MusicAnalyzer
{
    /// <summary>Frames the front ring holds: the segmenter's ring plus one batch of window hops and a window.</summary>
    private static int FrontRingFrames(MusicAnalyzerOptions options) =>
        options.BatchWindows > 1 ? RingFrames + (options.BatchWindows * options.WindowHopFrames) + MoodWindow.Frames : RingFrames;

    /// <summary>A frame for the soft cut: passed on now, or recorded while a batch fills.</summary>
    private void SegmentFrame(double meanSquare)
    {
        if (_deferred is { Active: true })
        {
            _deferred.Frame(_frontRing.Count - 1, meanSquare);
        }
        else
        {
            _segmenter.AddFrame(meanSquare);
        }
    }

    /// <summary>A contrast candidate for the soft cut: passed on now, or recorded while a batch fills.</summary>
    private void SegmentCandidate(double fromSeconds, double toSeconds, BoundaryEvidence source)
    {
        if (_deferred is { Active: true })
        {
            _deferred.Candidate(fromSeconds, toSeconds, source);
        }
        else
        {
            _segmenter.AddCandidate(fromSeconds, toSeconds, source);
        }
    }

    /// <summary>The stream ends: the last batch runs and is replayed; from here on every call goes straight to the segmenter.</summary>
    private void EndDeferral() => _deferred?.End();

    private enum StepKind : byte
    {
        Frame,
        Candidate,
        Window,
    }

    /// <summary>One recorded segmenter call: a frame (Index, MeanSquare), a candidate (From, To, Source) or a window (Index = its first frame, Slot in the batch or −1).</summary>
    private readonly record struct SegmenterStep(StepKind Kind, long Index, double A, double B, BoundaryEvidence Source, int Slot);

    /// <summary>The batch being filled and the segmenter calls recorded since the last replay.</summary>
    private sealed class DeferredWindows
    {
        private readonly MusicAnalyzer _owner;
        private readonly MoodWindowBatch? _crnnBatch;
        private readonly float[] _windows;
        private readonly MoodEstimate?[] _estimates;
        private readonly int _capacity;
        private readonly int _windowLength;
        private readonly List<SegmenterStep> _steps = [];
        private readonly SilenceGate _shadowSilence;
        private readonly int _maxFrames;
        private int _filled;
        private int _frames;

        public DeferredWindows(MusicAnalyzer owner, double frameSeconds, double frameLengthSeconds)
        {
            _owner = owner;
            _capacity = owner._options.BatchWindows;
            _windowLength = owner._window.Length;
            _estimates = new MoodEstimate?[_capacity];
            if (owner._estimator is CrnnMoodEstimator crnn)
            {
                _crnnBatch = crnn.CreateBatch(_capacity);
                _windows = [];
            }
            else
            {
                // any other estimator: the windows are kept and estimated one by one at replay (same order, same results)
                _windows = new float[_capacity * _windowLength];
            }

            _maxFrames = _capacity * owner._hop;
            _shadowSilence = new SilenceGate(frameSeconds, frameLengthSeconds, (owner._options.SoftCut ?? SoftCutOptions.Default).Silence);
        }

        /// <summary>Whether calls are being recorded (until <see cref="End"/>).</summary>
        public bool Active { get; private set; } = true;

        public void Frame(long index, double meanSquare)
        {
            _shadowSilence.Push(meanSquare);
            _steps.Add(new SegmenterStep(StepKind.Frame, index, meanSquare, 0, default, -1));
            if (++_frames >= _maxFrames)
            {
                Replay();   // silence (no window enters the batch) must not outrun the front ring
            }
        }

        public void Candidate(double fromSeconds, double toSeconds, BoundaryEvidence source) =>
            _steps.Add(new SegmenterStep(StepKind.Candidate, 0, fromSeconds, toSeconds, source, -1));

        public void Window(long start)
        {
            var startSeconds = _owner.WindowStartSeconds(start);
            var predictedSilent = _shadowSilence.IsSilent && startSeconds >= _shadowSilence.ChangeSeconds;
            var slot = -1;
            if (!predictedSilent)
            {
                slot = _filled++;
                var bands = _owner._mel.MelBands;
                if (_crnnBatch is not null)
                {
                    _owner._frontRing.CopyWindow(start, MoodWindow.Frames, _crnnBatch.MelWindow(slot));
                    _crnnBatch.SetStart(slot, start);
                    if (_owner._estimatorTakesChroma)
                    {
                        _owner._frontChroma.CopyWindow(start, MoodWindow.Frames, _crnnBatch.ChromaWindow(slot));
                    }
                }
                else
                {
                    var window = _windows.AsSpan(slot * _windowLength, _windowLength);
                    _owner._frontRing.CopyWindow(start, MoodWindow.Frames, window);
                    if (_owner._estimatorTakesChroma)
                    {
                        _owner._frontChroma.CopyWindow(start, MoodWindow.Frames, window[(MoodWindow.Frames * bands)..]);
                    }
                }
            }

            _steps.Add(new SegmenterStep(StepKind.Window, start, 0, 0, default, slot));
            if (_filled == _capacity)
            {
                Replay();
            }
        }

        public void End()
        {
            if (!Active)
            {
                return;
            }

            Replay();
            Active = false;
            _crnnBatch?.Dispose();
        }

        /// <summary>Runs the batch, then passes every recorded call to the segmenter in order.</summary>
        private void Replay()
        {
            RunBatch();
            var owner = _owner;
            foreach (var step in _steps)
            {
                switch (step.Kind)
                {
                    case StepKind.Frame:
                        owner._ring.Add(owner._frontRing.Frame(step.Index));
                        owner._chromaRing.Add(owner._frontChroma.Frame(step.Index));
                        owner._segmenter.AddFrame(step.A);
                        break;
                    case StepKind.Candidate:
                        owner._segmenter.AddCandidate(step.A, step.B, step.Source);
                        break;
                    default:
                        ReplayWindow(step.Index, step.Slot);
                        break;
                }
            }

            _steps.Clear();
            Array.Clear(_estimates);
            _filled = 0;
            _frames = 0;
        }

        private void ReplayWindow(long start, int slot)
        {
            var owner = _owner;
            var startSeconds = owner.WindowStartSeconds(start);
            if (!owner.InSilenceSince(startSeconds))
            {
                var estimate = slot >= 0 ? _estimates[slot]! : EstimateAlone(start);
                owner._segmenter.AddEstimate(estimate, startSeconds, owner.WindowEndSeconds(start, MoodWindow.Frames));
            }

            owner.PublishState();
        }

        /// <summary>A window the silence prediction skipped but the segmenter wants: estimated on its own (the front ring still holds it).</summary>
        private MoodEstimate EstimateAlone(long start)
        {
            var owner = _owner;
            owner._frontRing.CopyWindow(start, MoodWindow.Frames, owner._window);
            if (owner._estimatorTakesChroma)
            {
                owner._frontChroma.CopyWindow(start, MoodWindow.Frames, owner._window.AsSpan(MoodWindow.Frames * owner._mel.MelBands));
            }
            return owner._estimator.Estimate(owner._window);
        }

        private void RunBatch()
        {
            if (_filled == 0)
            {
                return;
            }

            if (_crnnBatch is not null)
            {
                _crnnBatch.Run(_filled);
                for (var i = 0; i < _filled; i++)
                {
                    _estimates[i] = _crnnBatch.Estimate(i);
                }

                return;
            }

            for (var i = 0; i < _filled; i++)
            {
                _estimates[i] = _owner._estimator.Estimate(_windows.AsSpan(i * _windowLength, _windowLength));
            }
        }
    }
}
