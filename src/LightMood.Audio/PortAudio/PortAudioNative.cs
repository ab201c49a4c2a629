using System.Runtime.InteropServices;

namespace LightMood.Audio.PortAudio;

/// <summary>
/// The few PortAudio v19 calls LightMood needs, bound to the system's <c>libportaudio.so.2</c> (Debian libportaudio2).
/// Signatures from <c>portaudio.h</c>: C <c>unsigned long</c> is <see cref="CULong"/> (8 bytes on Linux, 4 on Windows).
/// </summary>
internal static unsafe partial class PortAudioNative
{
    public const string Library = "libportaudio.so.2";
    public const int NoError = 0;
    public const int InputOverflowed = -9981;
    public const ulong Float32 = 0x00000001;
    public const ulong ClipOff = 0x00000001;

    [LibraryImport(Library)]
    public static partial int Pa_Initialize();

    [LibraryImport(Library)]
    public static partial int Pa_Terminate();

    [LibraryImport(Library)]
    public static partial int Pa_GetDeviceCount();

    [LibraryImport(Library)]
    public static partial int Pa_GetDefaultInputDevice();

    [LibraryImport(Library)]
    public static partial DeviceInfo* Pa_GetDeviceInfo(int device);

    [LibraryImport(Library)]
    public static partial HostApiInfo* Pa_GetHostApiInfo(int hostApi);

    [LibraryImport(Library)]
    public static partial nint Pa_GetErrorText(int error);

    [LibraryImport(Library)]
    public static partial int Pa_OpenStream(out nint stream, StreamParameters* input, StreamParameters* output, double sampleRate, CULong framesPerBuffer, CULong flags, nint callback, nint userData);

    [LibraryImport(Library)]
    public static partial int Pa_StartStream(nint stream);

    [LibraryImport(Library)]
    public static partial int Pa_StopStream(nint stream);

    [LibraryImport(Library)]
    public static partial int Pa_CloseStream(nint stream);

    [LibraryImport(Library)]
    public static partial int Pa_ReadStream(nint stream, float* buffer, CULong frames);

    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(Pa_GetErrorText(error)) ?? $"error {error}";

    /// <summary>Throws <see cref="PortAudioException"/> naming <paramref name="call"/> when <paramref name="error"/> is negative.</summary>
    public static int Check(int error, string call) =>
        error < 0 ? throw new PortAudioException(call, error, ErrorText(error)) : error;

    [StructLayout(LayoutKind.Sequential)]
    public struct DeviceInfo
    {
        public int StructVersion;
        public nint Name;
        public int HostApi;
        public int MaxInputChannels;
        public int MaxOutputChannels;
        public double DefaultLowInputLatency;
        public double DefaultLowOutputLatency;
        public double DefaultHighInputLatency;
        public double DefaultHighOutputLatency;
        public double DefaultSampleRate;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct HostApiInfo
    {
        public int StructVersion;
        public int Type;
        public nint Name;
        public int DeviceCount;
        public int DefaultInputDevice;
        public int DefaultOutputDevice;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct StreamParameters
    {
        public int Device;
        public int ChannelCount;
        public CULong SampleFormat;
        public double SuggestedLatency;
        public nint HostApiSpecificStreamInfo;
    }
}

/// <summary>A PortAudio call failed: the message names the call and PortAudio's error text.</summary>
public sealed class PortAudioException(string call, int error, string text)
    : Exception($"{call} failed: {text} ({error})")
{
    public string Call { get; } = call;

    public int Error { get; } = error;
}
