using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Chaos;

/// <summary>
/// Adds fields no client knows to a JSON answer, at the top level and in every nested object, as
/// a newer server would: a client that breaks on them breaks on the service's next release.
/// </summary>
internal static class ExtraFields
{
    /// <returns>The answer with the extra fields, or <see langword="null"/> when it is not a JSON object or array.</returns>
    public static byte[]? AddTo(byte[] json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (root is not (JsonObject or JsonArray))
        {
            return null;
        }

        AddToTree(root);
        using var buffer = new MemoryStream();
        // The encoder the emulator writes with, so that the fields already there read as before.
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = EmulatorJsonContext.Wire.Options.Encoder }))
        {
            root.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static void AddToTree(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                // Children first, from a copy: the object must not change while it is walked, and
                // the fields added below must not be walked in turn.
                foreach (var (_, child) in obj.ToList())
                {
                    AddToTree(child);
                }

                // TryAdd: a real field of the same name, however unlikely, wins.
                obj.TryAdd("_chaos", new JsonObject { ["n"] = 1 });
                obj.TryAdd("unexpectedField", "x");
                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    AddToTree(item);
                }

                break;
        }
    }
}
