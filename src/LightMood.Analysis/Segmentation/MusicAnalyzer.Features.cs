using System.Runtime.CompilerServices;
using LightMood.Analysis.Dsp;
using LightMood.Analysis.Emotion;

namespace LightMood.Analysis.Segmentation;

/// <summary>The feature front end: the sample buffer, and in sample order the mel frames (with chroma, into the front rings),
/// the wavelet onset frames (tempo, beats, onset rate) and the energy segments (energy contrast), with the candidates they raise.</summary>
public sealed partial class MusicAnalyzer
{
    private void Compact()
    {
        var keepFrom = Math.Min(Math.Min(_nextMelFrame * _mel.HopSize, _onsets.Samples), _nextEnergySegment * _energy.SegmentLength);
        var drop = (int)Math.Clamp(keepFrom - _bufferStart, 0, _bufferCount);
        if (drop == 0 || _bufferCount < _bufferSize / 2)
        {
            return;
        }

        Array.Copy(_buffer, drop, _buffer, 0, _bufferCount - drop);
        _bufferCount -= drop;
        _bufferStart += drop;
    }

    private void EnergySegment(ReadOnlySpan<float> segment)
    {
        _nextEnergySegment++;
        _energy.Process(segment, _energies);
        if (_energyContrast.Push(_energies[0], out var change))
        {
            EnergyCandidate(change);
        }

        if (_energyContrast.RunStarted)
        {
            // early candidate at the run's first ratio (the whole run follows when it ends): saves up to a segment of latency
            var m = (double)_energy.SegmentLength / SampleRate;
            var first = _energyContrast.LastIndex;
            SegmentCandidate(first * m, (first + 2) * m, BoundaryEvidence.EnergyContrast);
        }
    }

    private void EnergyCandidate(ContrastChange change)
    {
        // ratio t compares segments t and t+1: the change lies in segments First .. Last+1
        var m = (double)_energy.SegmentLength / SampleRate;
        SegmentCandidate(change.First * m, (change.Last + 2) * m, BoundaryEvidence.EnergyContrast);
    }

    /// <summary>Runs every frame and energy segment the buffer completes, in order of the sample that completes it.</summary>
    private void ProcessFrames()
    {
        var end = _bufferStart + _bufferCount;
        while (true)
        {
            var melStart = _nextMelFrame * _mel.HopSize;
            var onsetStart = _nextOnsetFrame * _onsets.HopLength;
            var energyStart = _nextEnergySegment * _energy.SegmentLength;
            var melEnd = melStart + _mel.FftSize;
            var onsetEnd = onsetStart + _onsets.FrameLength;
            var energyEnd = energyStart + _energy.SegmentLength;
            var first = Math.Min(melEnd, Math.Min(onsetEnd, energyEnd));
            if (first > end)
            {
                return;
            }

            if (onsetEnd == first)
            {
                // the samples the onset detector has not seen yet, up to the end of its next frame
                var fed = _onsets.Samples;
                OnsetFrame(_buffer.AsSpan((int)(fed - _bufferStart), (int)(onsetEnd - fed)));
            }
            else if (melEnd == first)
            {
                MelFrame(_buffer.AsSpan((int)(melStart - _bufferStart), _mel.FftSize));
            }
            else
            {
                EnergySegment(_buffer.AsSpan((int)(energyStart - _bufferStart), _energy.SegmentLength));
            }
        }
    }

    private void OnsetFrame(ReadOnlySpan<float> samples)
    {
        _nextOnsetFrame++;
        _onsets.Push(samples, _onsetStrength);
        var strength = _onsetStrength[0];
        if (_tempo.Push(strength, out var beatFrame, out var beatStrength))
        {
            var beat = new Beat(_onsets.OnsetSample(beatFrame) / SampleRate, _tempo.TempoBpm ?? 0, beatStrength);
            _record.Add(beat);
            BeatDetected?.Invoke(beat);
        }

        _record.SampleTempo(_tempo.TempoBpm);

        if (_picker.Push(strength, out var onsetFrame))
        {
            var at = _onsets.OnsetSample(onsetFrame) / SampleRate;
            if (_rate.Push(at, out _, out var changed, out _, out var changeAt) && changed && !double.IsNaN(changeAt))
            {
                SegmentCandidate(changeAt - 1, changeAt + 1, BoundaryEvidence.TempoContrast);
            }
        }

    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot loop: full JIT at once, no tier-0 pass
    private void MelFrame(ReadOnlySpan<float> frame)
    {
        _nextMelFrame++;
        _mel.ProcessFrame(frame, _melFrame, _chromaFrame);
        _frontChroma.Add(_chromaFrame);

        var sum = 0.0;
        foreach (var x in frame)
        {
            sum += (double)x * x;
        }

        _frameEnergy = sum / frame.Length;
        MelFrameComputed?.Invoke(_melFrame);
        _frontRing.Add(_melFrame);
        SegmentFrame(_frameEnergy);
        if (_deferred is null)
        {
            PublishIfChanged();
            if (_segmenter.TryProvisionalWindow(out var first, out var count))
            {
                ProvisionalWindow(first, count);
            }
        }

        if (_frontRing.Count >= MoodWindow.Frames && _frontRing.Count - MoodWindow.Frames == _nextWindowStart)
        {
            EstimateWindow(_nextWindowStart, MoodWindow.Frames);
            _nextWindowStart += _hop;
        }
    }
}
