using System.Text.Json;
using System.Text.Json.Serialization;

namespace LightMood.Web;

/// <summary>
/// Writes a non-finite number as <c>null</c>: JSON has no NaN, and a state view that cannot be written would answer
/// 500 and stall the page's event stream. Every stage keeps its numbers finite; this is the hub's last line.
/// </summary>
public sealed class FiniteDoubleConverter : JsonConverter<double>
{
    public override double Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDouble();

    public override void Write(Utf8JsonWriter writer, double value, JsonSerializerOptions options)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
