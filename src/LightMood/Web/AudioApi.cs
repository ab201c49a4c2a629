using LightMood.Audio.PortAudio;
using LightMood.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LightMood.Web;

/// <summary>
/// <c>/api/audio</c>: the capture devices PortAudio sees (what <c>lightmood devices</c> lists) and the input in use;
/// choosing another input saves the choice in the state directory and reopens the capture without a restart.
/// </summary>
public static class AudioApi
{
    /// <summary>Longest a device listing may take (PortAudio probes every ALSA device).</summary>
    public static readonly TimeSpan ListTimeout = TimeSpan.FromSeconds(10);

    public static RouteGroupBuilder MapAudioApi(this RouteGroupBuilder api)
    {
        var audio = api.MapGroup("/audio");
        audio.MapGet("/", async (AudioInputSelection selection) =>
        {
            var (devices, error) = await ListAsync(selection).ConfigureAwait(false);
            var o = selection.Current;
            return TypedResults.Ok(new AudioInputDto(o.Source.ToName(), o.Device, o.Channel, o.Channels, selection.Sources,
                devices?.Select(d => new AudioDeviceDto(d.Index, d.Name, d.HostApi, d.Channels, d.DefaultSampleRate, d.IsDefault)).ToList(), error));
        });
        audio.MapPost("/input", async (AudioInputRequest r, AudioInputSelection selection) =>
        {
            if (!AudioSourceNames.TryParse(r.Source, out var source) || !selection.Sources.Contains(source.ToName()))
            {
                return OperatorApi.Act(() => throw new FieldValidationException("source", $"source must be one of {string.Join(", ", selection.Sources)}"));
            }

            if (source != AudioSourceKind.PortAudio)
            {
                var configured = selection.Current;
                return OperatorApi.Act(() => selection.Select(source, null, configured.Channels, source == AudioSourceKind.Stdin ? configured.Channel : -1));
            }

            var (devices, error) = await ListAsync(selection).ConfigureAwait(false);
            return OperatorApi.Act(() =>
            {
                if (devices is null || devices.Count == 0)
                {
                    throw new FieldValidationException("device", error ?? "PortAudio lists no input device (no sound card or sound server)");
                }

                var wanted = string.IsNullOrWhiteSpace(r.Device) ? null : r.Device.Trim();
                var device = wanted is null
                    ? devices.FirstOrDefault(d => d.IsDefault) ?? throw new FieldValidationException("device", "there is no default input device; choose one")
                    : devices.FirstOrDefault(d => string.Equals(d.Name, wanted, StringComparison.Ordinal) || d.Index.ToString(System.Globalization.CultureInfo.InvariantCulture) == wanted)
                      ?? throw new FieldValidationException("device", $"no input device '{wanted}' (inputs: {string.Join(", ", devices.Select(d => d.Name))})");
                var channel = r.Channel ?? -1;
                if (channel < -1 || channel >= device.Channels)
                {
                    throw new FieldValidationException("channel", $"channel must be -1 (mix) or 0..{device.Channels - 1} for '{device.Name}'");
                }

                var channels = Math.Max(channel + 1, Math.Min(selection.Current.Channels, device.Channels));
                try
                {
                    selection.Select(AudioSourceKind.PortAudio, device.Name, channels, channel);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    throw new FieldValidationException($"the choice cannot be saved to {selection.FilePath}: {e.Message}", e);
                }
            });
        });
        return api;
    }

    /// <summary>A listing is reused this long: probing every ALSA device costs CPU, and reads need no sign-in.</summary>
    private static readonly TimeSpan ListingKept = TimeSpan.FromSeconds(3);

    private static async Task<(IReadOnlyList<AudioInputDevice>? Devices, string? Error)> ListAsync(AudioInputSelection selection)
    {
        if (selection.Listing is { } kept && DateTime.UtcNow - kept.At < ListingKept)
        {
            return (kept.Devices, null);
        }

        try
        {
            var devices = await Task.Run(PortAudioInput.ListDevices).WaitAsync(ListTimeout).ConfigureAwait(false);
            selection.Listing = (DateTime.UtcNow, devices);
            return (devices, null);
        }
        catch (Exception e) when (e is DllNotFoundException or PortAudioException or TimeoutException)
        {
            return (null, e is DllNotFoundException ? "libportaudio2 is not installed" : e.Message);
        }
    }
}

public sealed record AudioInputRequest(string? Source, string? Device, int? Channel);

/// <param name="Source">The input in use: demo, file, stdin or portaudio.</param>
/// <param name="Device">The PortAudio device (name or index), null for the default input.</param>
/// <param name="Channel">The channel analysed (0-based), −1 for the mix.</param>
/// <param name="Channels">Channels captured.</param>
/// <param name="Sources">What may be chosen here.</param>
/// <param name="Devices">PortAudio's capture devices, null when PortAudio is unavailable (<paramref name="DevicesError"/> says why).</param>
public sealed record AudioInputDto(string Source, string? Device, int Channel, int Channels, IReadOnlyList<string> Sources,
    IReadOnlyList<AudioDeviceDto>? Devices, string? DevicesError);

public sealed record AudioDeviceDto(int Index, string Name, string HostApi, int Channels, double DefaultSampleRate, bool IsDefault);
