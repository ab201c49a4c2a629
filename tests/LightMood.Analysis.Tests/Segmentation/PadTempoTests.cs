using LightMood.Analysis.Dsp;

namespace LightMood.Analysis.Tests.Segmentation;

public sealed class PadTempoTests
{
    [Fact]
    public void A_swelling_pad_has_no_pulse()
    {
        var x = new double[(int)(15 * AnalysisFormat.SampleRate)];
        Scenes.Pad(x, 0, 15, 1);
        var signal = Scenes.ToFloat(x);
        var detector = new WaveletOnsetDetector();
        var odf = new float[detector.FrameCount(signal.Length)];
        detector.Compute(signal, odf);
        var tracker = new TempoTracker(AnalysisFormat.SampleRate / 256.0);
        var beats = 0;
        foreach (var o in odf)
        {
            beats += tracker.Push(o, out _, out _) ? 1 : 0;
        }

        Assert.Null(tracker.TempoBpm);
        Assert.Equal(0, beats);
    }
}
