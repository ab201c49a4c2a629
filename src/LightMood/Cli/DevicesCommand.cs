using System.CommandLine;
using LightMood.Audio.PortAudio;

namespace LightMood.Cli;

/// <summary><c>lightmood devices</c>: the audio inputs PortAudio sees, for <c>Audio:Device</c>.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "list the audio inputs PortAudio sees (for Audio:Source=portaudio and Audio:Device)");
        command.SetAction(_ => Run());
        return command;
    }

    private static int Run()
    {
        IReadOnlyList<AudioInputDevice> devices;
        try
        {
            devices = PortAudioInput.ListDevices();
        }
        catch (Exception e) when (e is DllNotFoundException or PortAudioException)
        {
            Console.Error.WriteLine($"lightmood devices: {e.Message}" + (e is DllNotFoundException ? " (apt-get install libportaudio2)" : ""));
            return 2;
        }

        if (devices.Count == 0)
        {
            Console.Error.WriteLine("lightmood devices: no input device (no sound card or sound server)");
            return 1;
        }

        Console.WriteLine($"{"index",5}  {"name",-40} {"host API",-12} {"channels",8} {"rate",8}");
        foreach (var d in devices)
        {
            Console.WriteLine($"{d.Index,5}{(d.IsDefault ? '*' : ' ')} {d.Name,-40} {d.HostApi,-12} {d.Channels,8} {d.DefaultSampleRate,8:0}");
        }

        Console.WriteLine("* default input. Choose one with Audio:Device (index or part of the name) and Audio:Source=portaudio.");
        return 0;
    }
}
