namespace LightMood.Lighting.Output;

/// <summary>The frames of one render: one 512-slot frame per universe, and whether each changed since the last render.</summary>
public sealed class DmxFrameSet
{
    public DmxFrameSet(IReadOnlyList<int> universes)
    {
        Universes = [.. universes];
        Frames = new byte[Universes.Length][];
        for (var i = 0; i < Frames.Length; i++)
        {
            Frames[i] = new byte[512];
        }

        Changed = new bool[Universes.Length];
    }

    /// <summary>LightMood universe numbers (Art-Net Port-Addresses), sorted.</summary>
    public int[] Universes { get; }

    /// <summary>Frame per universe (same index as <see cref="Universes"/>); 512 bytes each.</summary>
    public byte[][] Frames { get; }

    /// <summary>True where the frame differs from the previous render.</summary>
    public bool[] Changed { get; }

    public int IndexOf(int universe) => Array.IndexOf(Universes, universe);
}

/// <summary>
/// A DMX transport. <see cref="Send"/> is called from the render loop once per frame set and must not allocate or
/// throw on network errors (log them at a limited rate and retry on the next frame); the output decides which
/// universes go out (changed ones, and unchanged ones when their keep-alive is due).
/// </summary>
public interface IDmxOutput : IDisposable
{
    string Name { get; }

    /// <param name="frames">The frame set.</param>
    /// <param name="timestamp">Now, as a <see cref="TimeProvider.GetTimestamp"/> value of the engine's time provider.</param>
    void Send(DmxFrameSet frames, long timestamp);

    /// <summary>
    /// Ends the streams (sACN: three stream-terminated packets per universe, with the frames given); after it, Send
    /// sends nothing on an output that has stream termination. Called once, on shutdown, before the safe look.
    /// </summary>
    void Terminate(DmxFrameSet frames);
}
