using System.Runtime.InteropServices;
using NAudio.Wave;

namespace LightMood.Audio.PortAudio;

/// <summary>An input device as PortAudio lists it.</summary>
public sealed record AudioInputDevice(int Index, string Name, string HostApi, int Channels, double DefaultSampleRate, bool IsDefault);

/// <summary>
/// Line-in through PortAudio's blocking read API, as a mono <see cref="ISampleProvider"/> at the device rate: one
/// channel or the mean of all. <see cref="Read"/> blocks until the samples are there; an input overflow (the reader
/// was late) is counted and reading goes on; any other PortAudio error (the device went away) throws
/// <see cref="PortAudioException"/>, so the owner can reopen with back-off. One reused buffer; not thread-safe.
/// </summary>
public sealed unsafe class PortAudioInput : ISampleProvider, IDisposable
{
    private const int MaxFrames = 4096;
    private readonly float[] _interleaved;
    private readonly int _channels;
    private readonly int _channel;
    private nint _stream;
    private bool _initialized;

    private PortAudioInput(AudioInputDevice device, int sampleRate, int channels, int channel)
    {
        Device = device;
        _channels = channels;
        _channel = channel;
        _interleaved = new float[MaxFrames * channels];
        WaveFormat = WaveFormat.CreateIeeeFloatWaveFormat(sampleRate, 1);
    }

    public AudioInputDevice Device { get; }

    public WaveFormat WaveFormat { get; }

    /// <summary>Input overflows seen (samples lost because the reader was late).</summary>
    public long Overflows { get; private set; }

    /// <summary>
    /// Pa_Initialize, Pa_Terminate and the device list are not thread-safe: a listing asked for by the web page and a
    /// capture thread opening or closing a stream take turns.
    /// </summary>
    private static readonly Lock Library = new();

    /// <summary>Lists the input devices (PortAudio is initialised for the call and terminated after).</summary>
    public static IReadOnlyList<AudioInputDevice> ListDevices()
    {
        lock (Library)
        {
            PortAudioNative.Check(PortAudioNative.Pa_Initialize(), "Pa_Initialize");
            try
            {
                return Enumerate();
            }
            finally
            {
                PortAudioNative.Pa_Terminate();
            }
        }
    }

    /// <summary>
    /// Opens and starts capture. <paramref name="device"/>: an index, part of a device name, or null/empty for the
    /// default input. <paramref name="channel"/>: 0-based channel, or −1 for the mean of all channels.
    /// </summary>
    public static PortAudioInput Open(string? device, int sampleRate, int channels, int channel)
    {
        lock (Library)
        {
            return OpenLocked(device, sampleRate, channels, channel);
        }
    }

    private static PortAudioInput OpenLocked(string? device, int sampleRate, int channels, int channel)
    {
        PortAudioNative.Check(PortAudioNative.Pa_Initialize(), "Pa_Initialize");
        PortAudioInput? input = null;
        try
        {
            var chosen = Choose(Enumerate(), device);
            if (channels > chosen.Channels)
            {
                throw new ArgumentException($"input device '{chosen.Name}' has {chosen.Channels} channels, {channels} asked for");
            }

            input = new PortAudioInput(chosen, sampleRate, channels, channel) { _initialized = true };
            var info = PortAudioNative.Pa_GetDeviceInfo(chosen.Index);
            var parameters = new PortAudioNative.StreamParameters
            {
                Device = chosen.Index,
                ChannelCount = channels,
                SampleFormat = new CULong((nuint)PortAudioNative.Float32),
                SuggestedLatency = info->DefaultLowInputLatency,
            };
            PortAudioNative.Check(
                PortAudioNative.Pa_OpenStream(out input._stream, &parameters, null, sampleRate, new CULong(1024), new CULong((nuint)PortAudioNative.ClipOff), 0, 0),
                "Pa_OpenStream");
            PortAudioNative.Check(PortAudioNative.Pa_StartStream(input._stream), "Pa_StartStream");
            return input;
        }
        catch
        {
            if (input is not null)
            {
                input.DisposeLocked();
            }
            else
            {
                PortAudioNative.Pa_Terminate();
            }

            throw;
        }
    }

    public int Read(Span<float> buffer)
    {
        ObjectDisposedException.ThrowIf(_stream == 0, this);
        var frames = Math.Min(buffer.Length, MaxFrames);
        int error;
        fixed (float* p = _interleaved)
        {
            error = PortAudioNative.Pa_ReadStream(_stream, p, new CULong((nuint)frames));
        }

        if (error == PortAudioNative.InputOverflowed)
        {
            Overflows++;
        }
        else
        {
            PortAudioNative.Check(error, "Pa_ReadStream");
        }

        for (var f = 0; f < frames; f++)
        {
            if (_channel >= 0)
            {
                buffer[f] = _interleaved[(f * _channels) + _channel];
                continue;
            }

            var sum = 0f;
            for (var c = 0; c < _channels; c++)
            {
                sum += _interleaved[(f * _channels) + c];
            }

            buffer[f] = sum / _channels;
        }

        return frames;
    }

    /// <summary>Stops and closes the stream and terminates PortAudio; safe to call twice.</summary>
    public void Dispose()
    {
        lock (Library)
        {
            DisposeLocked();
        }
    }

    private void DisposeLocked()
    {
        if (_stream != 0)
        {
            PortAudioNative.Pa_StopStream(_stream);
            PortAudioNative.Pa_CloseStream(_stream);
            _stream = 0;
        }

        if (_initialized)
        {
            _initialized = false;
            PortAudioNative.Pa_Terminate();
        }
    }

    private static List<AudioInputDevice> Enumerate()
    {
        var count = PortAudioNative.Check(PortAudioNative.Pa_GetDeviceCount(), "Pa_GetDeviceCount");
        var defaultInput = PortAudioNative.Pa_GetDefaultInputDevice();
        var devices = new List<AudioInputDevice>();
        for (var i = 0; i < count; i++)
        {
            var info = PortAudioNative.Pa_GetDeviceInfo(i);
            if (info == null || info->MaxInputChannels <= 0)
            {
                continue;
            }

            var api = PortAudioNative.Pa_GetHostApiInfo(info->HostApi);
            devices.Add(new AudioInputDevice(
                i,
                Marshal.PtrToStringUTF8(info->Name) ?? $"device {i}",
                api == null ? "?" : Marshal.PtrToStringUTF8(api->Name) ?? "?",
                info->MaxInputChannels,
                info->DefaultSampleRate,
                i == defaultInput));
        }

        return devices;
    }

    private static AudioInputDevice Choose(List<AudioInputDevice> devices, string? wanted)
    {
        if (devices.Count == 0)
        {
            throw new InvalidOperationException("PortAudio lists no input device (no sound card or sound server)");
        }

        if (string.IsNullOrWhiteSpace(wanted))
        {
            return devices.FirstOrDefault(d => d.IsDefault)
                ?? throw new InvalidOperationException("there is no default input device; set Audio:Device");
        }

        if (int.TryParse(wanted, out var index))
        {
            return devices.FirstOrDefault(d => d.Index == index)
                ?? throw new InvalidOperationException($"there is no input device {index} (inputs: {string.Join(", ", devices.Select(d => d.Index))})");
        }

        return devices.FirstOrDefault(d => string.Equals(d.Name, wanted, StringComparison.OrdinalIgnoreCase))
            ?? devices.FirstOrDefault(d => d.Name.Contains(wanted, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"no input device matches '{wanted}' (inputs: {string.Join(", ", devices.Select(d => d.Name))})");
    }
}
