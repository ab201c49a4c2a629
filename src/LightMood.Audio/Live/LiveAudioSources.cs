using LightMood.Audio.Decoding;
using System.Runtime.Versioning;
using LightMood.Audio.PortAudio;
using LightMood.Audio.Wasapi;
using NAudio.Wave;

namespace LightMood.Audio.Live;

/// <summary>Line-in through PortAudio: device (index, part of its name, or empty for the default), rate, channels, channel (−1 = mix).</summary>
public sealed record PortAudioCaptureOptions(string? Device = null, int SampleRate = 48000, int Channels = 2, int Channel = -1);

/// <summary>The live sources the daemon can run, each a <see cref="LiveAudioSource"/> delivering mono 22 050 Hz.</summary>
public static class LiveAudioSources
{
    /// <summary>
    /// Line-in through PortAudio (own binding of <c>libportaudio.so.2</c>), reopened with back-off whenever the device
    /// or sound server goes away: <see cref="LiveAudioSource.Faulted"/> reports each failure and
    /// <see cref="LiveAudioSource.Recovered"/> the return; the source itself only stops on <see cref="LiveAudioSource.Stop"/>
    /// or an error no retry can fix (no libportaudio, a channel the device lacks).
    /// </summary>
    public static LiveAudioSource PortAudio(PortAudioCaptureOptions capture, ReconnectPolicy? reconnect = null, LiveAudioSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(capture);
        if (capture.Channel < -1 || capture.Channel >= capture.Channels)
        {
            throw new ArgumentException($"channel {capture.Channel} is outside -1..{capture.Channels - 1}", nameof(capture));
        }

        return Reconnecting(
            $"portaudio {(string.IsNullOrWhiteSpace(capture.Device) ? "default" : capture.Device)}",
            () => (WaveFormat.CreateIeeeFloatWaveFormat(capture.SampleRate, 1), () => PortAudioInput.Open(capture.Device, capture.SampleRate, capture.Channels, capture.Channel)),
            reconnect,
            options);
    }

    /// <summary>
    /// Line-in on Windows through NAudio.Wasapi (shared mode, the endpoint's mix rate), reopened with back-off like
    /// <see cref="PortAudio"/>. <paramref name="device"/>: part of the endpoint name, or empty for the default.
    /// </summary>
    [SupportedOSPlatform("windows")]
    public static LiveAudioSource Wasapi(string? device, int channel = -1, ReconnectPolicy? reconnect = null, LiveAudioSourceOptions? options = null)
    {
        return Reconnecting(
            $"wasapi {(string.IsNullOrWhiteSpace(device) ? "default" : device)}",
            () =>
            {
                // the first open tells the mix format every reopen must match
                WasapiCaptureSampleProvider? first = new(device, channel);
                return (first.WaveFormat, () =>
                {
                    var next = first ?? new WasapiCaptureSampleProvider(device, channel);
                    first = null;
                    return next;
                });
            },
            reconnect,
            options);
    }

    /// <summary>Raw interleaved PCM from a stream (standard input); stops with <see cref="LiveAudioStopReason.EndOfStream"/> when it closes.</summary>
    public static LiveAudioSource RawPcm(Stream input, RawPcmFormat format, LiveAudioSourceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(format);
        format.Validate();
        return new LiveAudioSource(
            $"raw {format.Encoding.ToString().ToLowerInvariant()} {format.Channels} ch {format.SampleRate} Hz",
            _ => new RawPcmSampleProvider(input, format),
            options);
    }

    /// <summary>Standard input as raw PCM (<c>arecord -f S16_LE -r 48000 -c 2 | lightmood run --stdin</c>).</summary>
    public static LiveAudioSource Stdin(RawPcmFormat format, LiveAudioSourceOptions? options = null) =>
        RawPcm(Console.OpenStandardInput(), format, options);

    /// <summary>
    /// A WAV/MP3/OGG file for demos: decoded once (on the capture thread, so a bad file stops the source with
    /// <see cref="LiveAudioStopReason.Faulted"/> and an <see cref="AudioDecodeException"/>), then played in real time
    /// (<paramref name="paced"/>) or as fast as the reader takes it (the ring then waits instead of dropping), looped or once.
    /// </summary>
    public static LiveAudioSource File(string path, bool paced = true, bool loop = true, LiveAudioSourceOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new LiveAudioSourceOptions();
        if (!paced)
        {
            options = options with { WaitWhenFull = true };
        }

        return new LiveAudioSource(
            $"file {Path.GetFileName(path)}",
            token =>
            {
                var audio = AudioFileDecoder.Decode(path, LiveAudioSource.SampleRate);
                ISampleProvider playback = new FilePlaybackSampleProvider(audio.Samples, audio.SampleRate, loop);
                return paced ? new PacedSampleProvider(playback, token) : playback;
            },
            options);
    }

    /// <summary>
    /// A source over a device that is reopened with back-off: <paramref name="prepare"/> runs on the capture thread and
    /// gives the format every open must deliver and the open itself; the chain's faults and recoveries are the source's.
    /// </summary>
    private static LiveAudioSource Reconnecting(
        string name, Func<(WaveFormat Format, Func<ISampleProvider> Open)> prepare, ReconnectPolicy? reconnect, LiveAudioSourceOptions? options)
    {
        LiveAudioSource? source = null;
        source = new LiveAudioSource(
            name,
            token =>
            {
                var (format, open) = prepare();
                var provider = new ReconnectingSampleProvider(format, open, reconnect ?? ReconnectPolicy.Default, token);
                provider.Faulted += (_, e) => source!.OnFaulted(e);
                provider.Recovered += (_, _) => source!.OnRecovered();
                return provider;
            },
            options);
        return source;
    }
}
