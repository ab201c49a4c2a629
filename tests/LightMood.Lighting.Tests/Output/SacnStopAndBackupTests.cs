using LightMood.Lighting.Engine;
using LightMood.Lighting.Output.ArtNet;
using LightMood.Lighting.Output.Sacn;
using Microsoft.Extensions.Logging.Abstractions;

namespace LightMood.Lighting.Tests.Output;

/// <summary>What a clean stop sends on each protocol, and how often a backup sends.</summary>
public sealed class SacnStopAndBackupTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void A_clean_stop_ends_sacn_at_once_with_the_showing_look_while_art_net_gets_the_safe_look()
    {
        using var sacnProbe = new UdpProbe();
        using var artProbe = new UdpProbe();
        var options = new LightingOptions { SafeLook = SafeLook.Blackout, ModulationSmoothingSeconds = 0 };
        options.Sacn.Destinations = [sacnProbe.Address];
        options.Sacn.UniverseDiscovery = false;
        options.ArtNet.Nodes = [artProbe.Address];
        options.ArtNet.ListenPort = 0;
        options.ArtNet.Discovery = false;
        var patch = Rigs.Small();
        var sacn = new SacnOutput(options.Sacn, patch.Universes, Guid.NewGuid(), _time, NullLogger.Instance);
        var art = new ArtNetOutput(options.ArtNet, patch.Universes, _time, NullLogger.Instance);
        using var engine = new LightingEngine(patch, Rigs.Plain(), options, [sacn, art], _time);
        engine.UpdateMood(new MoodState(0, Mood.Happy, 0.9, 0, 0, 0, 0.5, null));
        engine.RenderFrame();
        sacnProbe.Drain(50);
        artProbe.Drain(50);

        engine.Stop();
        var sacnEnd = sacnProbe.Drain(50);
        Assert.Equal(3, sacnEnd.Count);                                  // three Stream_Terminated, nothing before them
        Assert.All(sacnEnd, d =>
        {
            Assert.True(E131DataPacket.TryParse(d, out var p));
            Assert.Equal(E131DataPacket.OptionStreamTerminated, p.Options);
            Assert.Equal(255, p.Slots[0]);                               // the happy look's dimmer, not the blackout
        });

        var artEnd = artProbe.Drain(50);
        Assert.NotEmpty(artEnd);                                         // Art-Net has no termination: the safe look
        Assert.True(ArtDmxPacket.TryParse(artEnd[^1], out _, out _, out var data));
        Assert.Equal(0, data[0]);
    }

    [Theory]
    [InlineData(false, 2)]      // at 0 s and at the 1 s keep-alive
    [InlineData(true, 42)]      // every frame
    public void A_backup_sends_every_frame_so_a_receiver_hears_it_as_soon_as_the_primary_times_out(bool backup, int expected)
    {
        using var receiver = new UdpProbe();
        var options = new SacnOptions { Enabled = true, Destinations = [receiver.Address], UniverseDiscovery = false, Backup = backup };
        using var output = new SacnOutput(options, [0], Guid.NewGuid(), _time, NullLogger.Instance);
        var frames = new LightMood.Lighting.Output.DmxFrameSet([0]);
        frames.Changed[0] = true;
        output.Send(frames, _time.GetTimestamp());
        frames.Changed[0] = false;
        for (var i = 0; i < 41; i++)                                     // 1.025 s of unchanged frames at 40 Hz
        {
            _time.AdvanceSeconds(0.025);
            output.Send(frames, _time.GetTimestamp());
        }

        Assert.Equal(expected, receiver.Drain(50).Count);
    }
}
