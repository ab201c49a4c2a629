using System.Buffers.Binary;
using System.Runtime.Versioning;
using LightMood.Audio.Live;
using NAudio.CoreAudioApi;
using NAudio.Wave;

namespace LightMood.Audio.Wasapi;

/// <summary>
/// Line-in on Windows through NAudio.Wasapi (a shared-mode, event-driven <see cref="WasapiRecorder"/> of a capture
/// endpoint, with NAudio's zero-copy packet spans), as a mono
/// <see cref="ISampleProvider"/> at the endpoint's mix rate: one channel or the mean of all. WASAPI pushes packets on
/// its own thread; they are converted into a pre-allocated mono buffer and handed over through an
/// <see cref="AudioBlockRing"/> (drop oldest), so <see cref="Read"/> pulls like the PortAudio input does. A stopped
/// recording (device unplugged) or no data within the stall timeout makes <see cref="Read"/> throw, so
/// <see cref="ReconnectingSampleProvider"/> reopens it. Not tested in CI (Linux); see docs/audio.md.
/// </summary>
[SupportedOSPlatform("windows")]
public sealed class WasapiCaptureSampleProvider : ISampleProvider, IDisposable
{
    private readonly MMDevice _device;
    private readonly WasapiRecorder _capture;
    private readonly AudioBlockRing _ring;
    private readonly float[] _mono;
    private readonly int _channels;
    private readonly int _channel;
    private readonly int _bytesPerSample;
    private readonly bool _float;
    private readonly TimeSpan _stallTimeout;
    private Exception? _stopError;
    private bool _disposed;

    /// <param name="device">Part of the endpoint's friendly name, or null/empty for the default capture endpoint.</param>
    /// <param name="channel">0-based channel, or −1 for the mean of all channels.</param>
    /// <param name="stallTimeout">How long a read waits for data before it counts as a fault (default 2 s).</param>
    public WasapiCaptureSampleProvider(string? device, int channel, TimeSpan? stallTimeout = null)
    {
        using (var enumerator = new MMDeviceEnumerator())
        {
            _device = Choose(enumerator, device);
        }

        _capture = new WasapiRecorderBuilder().WithDevice(_device).WithSharedMode().WithEventSync().Build();
        var format = _capture.WaveFormat;
        _channels = format.Channels;
        if (channel < -1 || channel >= _channels)
        {
            _capture.Dispose();
            throw new ArgumentException($"WASAPI endpoint '{_device.FriendlyName}' has {_channels} channels; channel {channel} asked for");
        }

        _channel = channel;
        _bytesPerSample = format.BitsPerSample / 8;
        _float = format.Encoding == WaveFormatEncoding.IeeeFloat
            || (format is WaveFormatExtensible e && e.SubFormat == AudioMediaSubtypes.MEDIASUBTYPE_IEEE_FLOAT);
        if (!(_float ? _bytesPerSample == 4 : _bytesPerSample is 2 or 3 or 4))
        {
            _capture.Dispose();
            throw new NotSupportedException($"WASAPI endpoint '{_device.FriendlyName}' mix format {format} is not 16/24/32-bit PCM or 32-bit float");
        }

        _stallTimeout = stallTimeout ?? TimeSpan.FromSeconds(2);
        _mono = new float[format.SampleRate]; // a packet is at most ~10-100 ms; one second is ample
        _ring = new AudioBlockRing(AudioBlockRing.DefaultBlockSamples, AudioBlockRing.DefaultCapacity);
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(format.SampleRate, 1);
        _capture.DataAvailable += OnDataAvailable;
        _capture.RecordingStopped += OnRecordingStopped;
        _capture.StartRecording();
    }

    public WaveFormat WaveFormat { get; }

    /// <summary>The endpoint's friendly name.</summary>
    public string DeviceName => _device.FriendlyName;

    /// <summary>Blocks dropped because the reader was behind.</summary>
    public long Dropped => _ring.Dropped;

    /// <summary>The active capture endpoints' friendly names.</summary>
    public static IReadOnlyList<string> ListDevices()
    {
        using var enumerator = new MMDeviceEnumerator();
        return [.. enumerator.EnumerateAudioEndPoints(DataFlow.Capture, DeviceState.Active).Select(d => d.FriendlyName)];
    }

    public int Read(Span<float> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var n = _ring.Read(buffer, _stallTimeout);
        if (n > 0)
        {
            return n;
        }

        throw _stopError is not null
            ? new IOException($"WASAPI capture of '{DeviceName}' stopped: {_stopError.Message}", _stopError)
            : new TimeoutException($"WASAPI capture of '{DeviceName}' delivered nothing for {_stallTimeout.TotalSeconds:0.#} s");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _capture.DataAvailable -= OnDataAvailable;
        _capture.RecordingStopped -= OnRecordingStopped;
        _capture.StopRecording();
        _capture.Dispose();
        _device.Dispose();
        _ring.Complete();
    }

    private static MMDevice Choose(MMDeviceEnumerator enumerator, string? wanted)
    {
        if (string.IsNullOrWhiteSpace(wanted))
        {
            return enumerator.TryGetDefaultAudioEndpoint(DataFlow.Capture, Role.Multimedia, out var preferred) && preferred is not null
                ? preferred
                : throw new InvalidOperationException("Windows has no default capture device");
        }

        var all = enumerator.EnumerateAudioEndPoints(DataFlow.Capture, DeviceState.Active).ToList();
        var match = all.FirstOrDefault(d => d.FriendlyName.Contains(wanted, StringComparison.OrdinalIgnoreCase));
        foreach (var d in all.Where(d => d != match))
        {
            d.Dispose();
        }

        return match ?? throw new InvalidOperationException($"no WASAPI capture device matches '{wanted}'");
    }

    /// <summary>WASAPI's capture thread: interleaved packet to mono, into the ring (no allocation).</summary>
    private void OnDataAvailable(ReadOnlySpan<byte> bytes, AudioClientBufferFlags flags, long devicePosition, long qpcPosition)
    {
        if ((flags & AudioClientBufferFlags.Silent) != 0)
        {
            // the endpoint says "treat as silence": the bytes may be garbage
            var silent = Math.Min(bytes.Length / (_bytesPerSample * _channels), _mono.Length);
            _mono.AsSpan(0, silent).Clear();
            _ring.Write(_mono.AsSpan(0, silent));
            return;
        }

        var frameBytes = _bytesPerSample * _channels;
        var frames = Math.Min(bytes.Length / frameBytes, _mono.Length);
        for (var f = 0; f < frames; f++)
        {
            var frame = bytes.Slice(f * frameBytes, frameBytes);
            if (_channel >= 0)
            {
                _mono[f] = Sample(frame.Slice(_channel * _bytesPerSample, _bytesPerSample));
                continue;
            }

            var sum = 0f;
            for (var c = 0; c < _channels; c++)
            {
                sum += Sample(frame.Slice(c * _bytesPerSample, _bytesPerSample));
            }

            _mono[f] = sum / _channels;
        }

        _ring.Write(_mono.AsSpan(0, frames));
    }

    private float Sample(ReadOnlySpan<byte> b) => _float
        ? BinaryPrimitives.ReadSingleLittleEndian(b)
        : _bytesPerSample switch
        {
            2 => BinaryPrimitives.ReadInt16LittleEndian(b) / 32768f,
            3 => ((b[0] << 8) | (b[1] << 16) | (b[2] << 24)) / 2147483648f,
            _ => BinaryPrimitives.ReadInt32LittleEndian(b) / 2147483648f,
        };

    private void OnRecordingStopped(object? sender, StoppedEventArgs e)
    {
        _stopError = e.Exception ?? new IOException("the recording stopped");
        _ring.Complete();
    }
}
