using LightMood.Hosting;

namespace LightMood.Tests.Daemon;

public sealed class AnalysisOptionsTests
{
    [Theory]
    [InlineData(0, true)]
    [InlineData(4, true)]
    [InlineData(120, true)]
    [InlineData(-1, false)]
    [InlineData(121, false)]
    [InlineData(double.NaN, false)]
    public void The_minimum_hold_is_checked(double seconds, bool valid)
    {
        var problems = new AnalysisOptions { MinHoldSeconds = seconds }.Validate().ToList();
        Assert.Equal(valid, problems.Count == 0);
        if (!valid)
        {
            Assert.Contains("Analysis:MinHoldSeconds", Assert.Single(problems), StringComparison.Ordinal);
        }
    }
}
