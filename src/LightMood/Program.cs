namespace LightMood;

internal static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("lightmood: no verbs yet");
        return args.Length == 0 ? 0 : 2;
    }
}
