using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Serialization;

namespace Mudbase.Data;

/// <summary>
/// Reads and writes a <see cref="MudbaseDocument"/> as its JSON object, every field kept. Written by hand over
/// the reader and <see cref="JsonNode"/>: no reflection, so trimming- and AOT-safe. A document read keeps its JSON and is
/// written back from it until its fields are used (see <see cref="MudbaseDocument"/>). <see cref="MudbaseDocument"/> names it in its
/// <see cref="JsonConverterAttribute"/>, so a source-generated context that includes the type uses it.
/// </summary>
public sealed class MudbaseDocumentJsonConverter : JsonConverter<MudbaseDocument>
{
    /// <summary>The JSON metadata for <see cref="MudbaseDocument"/> on the SDK's own serializer options.</summary>
    internal static JsonTypeInfo<MudbaseDocument> TypeInfo { get; } =
        JsonMetadataServices.CreateValueInfo<MudbaseDocument>(MudbaseJsonContext.Default.Options, new MudbaseDocumentJsonConverter());

    /// <inheritdoc/>
    public override MudbaseDocument Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DocumentReader.Read(ref reader);

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MudbaseDocument value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        // Indented output re-writes a document held as read, so that it is indented too.
        value.WriteTo(writer, reencode: writer.Options.Indented, options);
    }
}
