using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>The mood windows: each due window (or the tail) to the estimator and its estimate to the soft cut, and the live state.</summary>
public sealed partial class MusicAnalyzer
{
    private void EstimateWindow(long start, int frames)
    {
        if (_deferred is { Active: true })
        {
            _deferred.Window(start);
            return;
        }

        var startSeconds = WindowStartSeconds(start);
        var endSeconds = WindowEndSeconds(start, frames);
        if (!InSilenceSince(startSeconds))
        {
            _ring.CopyWindow(start, frames, _window);
            if (_estimatorTakesChroma)
            {
                _chromaRing.CopyWindow(start, frames, _window.AsSpan(MoodWindow.Frames * _mel.MelBands));
            }

            _segmenter.AddEstimate(_estimator.Estimate(_window), startSeconds, endSeconds);
        }

        PublishState();
    }

    private double WindowStartSeconds(long start) => (double)(start * _mel.HopSize) / SampleRate;

    private double WindowEndSeconds(long start, int frames) => (double)(((start + frames - 1) * _mel.HopSize) + _mel.FftSize) / SampleRate;

    /// <summary>A window that lies wholly in the current silence is not estimated: silence has no mood (and costs no CRNN run).</summary>
    private bool InSilenceSince(double startSeconds) => _segmenter.InSilence && startSeconds >= _segmenter.RegionStartSeconds;

    /// <summary>The tail: one more window ending at the last frame, or, for audio shorter than a window, the frames tiled.</summary>
    private void FinalWindow()
    {
        var frames = _ring.Count;
        if (frames >= MoodWindow.Frames)
        {
            var lastStart = frames - MoodWindow.Frames;
            if (lastStart > _nextWindowStart - _hop)
            {
                EstimateWindow(lastStart, MoodWindow.Frames);
            }

            return;
        }

        if (InSilenceSince(0))
        {
            PublishState();
            return;
        }

        if (frames == 0)
        {
            var chromaStart = MoodWindow.Frames * _mel.MelBands;
            _window.AsSpan(0, chromaStart).Fill(SilenceFloorDb);
            _window.AsSpan(chromaStart).Fill(1f / Chromagram.PitchClasses);
        }
        else
        {
            TileWindow(0, (int)frames);
        }

        var estimate = _estimator.Estimate(_window);
        _segmenter.AddEstimate(estimate, 0, TimeSeconds);
        PublishState();
    }

    /// <summary>Frames [first, first + count) of the ring repeated into the estimator's window (mel, and chroma when it takes them).</summary>
    private void TileWindow(long first, int count)
    {
        var bands = _mel.MelBands;
        var chromaStart = MoodWindow.Frames * bands;
        for (var i = 0; i < MoodWindow.Frames; i++)
        {
            _ring.Frame(first + (i % count)).CopyTo(_window.AsSpan(i * bands, bands));
            if (_estimatorTakesChroma)
            {
                _chromaRing.Frame(first + (i % count)).CopyTo(_window.AsSpan(chromaStart + (i * _chromaRing.Bands), _chromaRing.Bands));
            }
        }
    }

    /// <summary>
    /// Live: the current section's first frames tiled into one window, estimated, and given to the soft cut as its
    /// provisional label (<see cref="SoftCutSegmenter.TryProvisionalWindow"/>); the state follows at once.
    /// </summary>
    private void ProvisionalWindow(long first, int count)
    {
        TileWindow(first, count);
        _segmenter.AddProvisional(_estimator.Estimate(_window));
        PublishIfChanged();
    }

    /// <summary>The live state to <see cref="StateUpdated"/> (once per window, and whenever a frame or a provisional window changes what the lights show).</summary>
    private void PublishState()
    {
        _publishedSections = _segmenter.Sections;
        _publishedMood = _segmenter.CurrentMood;
        _publishedSilent = _segmenter.InSilence;
        StateUpdated?.Invoke(BuildState());
    }

    /// <summary>
    /// Live: the state at once when the section, the mood or the silence changed since the last state (a section found
    /// from the frames, a mood confirmed at it, a silence edge, a provisional label) rather than at the next window,
    /// up to a hop (≈ 0.56 s) later. Costs nothing when nothing changed.
    /// </summary>
    private void PublishIfChanged()
    {
        if (StateUpdated is not null
            && (_segmenter.Sections != _publishedSections || _segmenter.CurrentMood != _publishedMood || _segmenter.InSilence != _publishedSilent)
            && (_segmenter.HasEstimate || _segmenter.InSilence))
        {
            PublishState();
        }
    }

    private MoodState BuildState()
    {
        var db = 10 * Math.Log10(Math.Max(_frameEnergy, 1e-12));
        if (_segmenter.InSilence)
        {
            // silence is not a mood: full confidence that it is silence, neutral valence, no arousal
            return new MoodState(TimeSeconds, _segmenter.CurrentMood, 1, 0, -1, _segmenter.RegionStartSeconds, Math.Clamp((db + 60) / 60, 0, 1), _tempo.TempoBpm, Silent: true, SectionStartSeconds: _segmenter.SectionStartSeconds);
        }

        return new MoodState(
            TimeSeconds,
            _segmenter.CurrentMood,
            _segmenter.CurrentConfidence,
            Math.Clamp(_segmenter.LastValence, -1, 1),
            Math.Clamp(_segmenter.LastArousal, -1, 1),
            _segmenter.RegionStartSeconds,
            Math.Clamp((db + 60) / 60, 0, 1),
            _tempo.TempoBpm,
            SectionStartSeconds: _segmenter.SectionStartSeconds);
    }
}
