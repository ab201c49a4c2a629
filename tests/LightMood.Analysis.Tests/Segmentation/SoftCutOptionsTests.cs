using LightMood.Analysis.Segmentation;

namespace LightMood.Analysis.Tests.Segmentation;

/// <summary>Soft-cut settings from NAME=VALUE pairs (evaluate-segments' and the live-latency probe's --soft-cut).</summary>
public sealed class SoftCutOptionsTests
{
    [Fact]
    public void Named_numeric_settings_change_and_the_rest_stay_default()
    {
        var options = SoftCutOptions.WithSettings(["NoveltyRatio=3", "SustainWindows=7"]);
        Assert.Equal(3.0, options.NoveltyRatio);
        Assert.Equal(7, options.SustainWindows);
        Assert.Equal(SoftCutOptions.Default.Margin, options.Margin);
        Assert.Equal(3.5, SoftCutOptions.Default.NoveltyRatio);             // the shared default is not touched
        Assert.Equal(SoftCutOptions.Default, SoftCutOptions.WithSettings(null));
    }

    [Theory]
    [InlineData("NoSuchSetting=1", "not NAME=VALUE")]
    [InlineData("Silence=1", "not NAME=VALUE")]            // not numeric
    [InlineData("Margin", "not NAME=VALUE")]
    [InlineData("Margin=-0.1", "not a number")]
    [InlineData("Margin=NaN", "not a number")]
    [InlineData("Margin=fast", "not a number")]
    public void A_bad_pair_is_an_error_naming_it(string pair, string why)
    {
        var e = Assert.Throws<FormatException>(() => SoftCutOptions.WithSettings([pair]));
        Assert.Contains(pair, e.Message, StringComparison.Ordinal);
        Assert.Contains(why, e.Message, StringComparison.Ordinal);
    }
}
