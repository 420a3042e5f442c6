using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>
/// Writes the data area's bodies with a <see cref="Utf8JsonWriter"/>: documents are free-form JSON, kept as
/// <see cref="JsonElement"/>s, so there is no type to serialize. Escapes only what JSON requires, as the live
/// (Node.js) server does and as <see cref="Infrastructure.EmulatorJsonContext.Wire"/> does for the other areas.
/// </summary>
internal static class JsonAnswer
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static IResult Write(int statusCode, Action<Utf8JsonWriter> write) =>
        TypedResults.Text(ToBytes(write), "application/json; charset=utf-8", statusCode);

    public static byte[] ToBytes(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Builds an immutable value, safe to share between threads.</summary>
    public static JsonElement ToElement(Action<Utf8JsonWriter> write)
    {
        using var document = JsonDocument.Parse(ToBytes(write));
        return document.RootElement.Clone();
    }

    /// <summary>An ISO 8601 UTC timestamp with milliseconds, as JavaScript's <c>toISOString</c> writes it.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    public static void WriteCollection(Utf8JsonWriter writer, CollectionSchema collection)
    {
        writer.WriteStartObject();
        writer.WriteString("_id", collection.Id);
        writer.WriteString("name", collection.Name);
        writer.WriteString("slug", collection.Slug);
        writer.WriteString("project", collection.ProjectId);
        writer.WriteStartArray("fields");
        foreach (var field in collection.Fields)
        {
            field.Raw.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WriteStartArray("permissions");
        foreach (var rule in collection.Permissions)
        {
            rule.Raw.WriteTo(writer);
        }

        writer.WriteEndArray();
        writer.WritePropertyName("settings");
        collection.Settings.WriteTo(writer);
        writer.WriteString("createdAt", Timestamp(collection.CreatedAt));
        writer.WriteString("updatedAt", Timestamp(collection.UpdatedAt));
        writer.WriteEndObject();
    }
}
