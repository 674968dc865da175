using System.IO;
using System.Text;
using System.Text.Json;
using HealthGen.Serialization;

namespace HealthGen.Tests;

/// <summary>Probe and details bodies as the endpoints write them, for assertions on exact JSON.</summary>
internal static class Json
{
    public static string Write(ProbeResponse response)
        => Write(writer => new ProbeResponseJsonConverter().Write(writer, response, JsonSerializerOptions.Default));

    public static string Write(DetailsResponse response)
        => Write(writer => new DetailsResponseJsonConverter().Write(writer, response, JsonSerializerOptions.Default));

    private static string Write(System.Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
