using System.Globalization;
using System.Text.Json.Nodes;

namespace Mudbase.Serialization;

/// <summary>Values the areas' answers carry in more than one form: read the same way everywhere.</summary>
internal static class WireValues
{
    /// <summary>An id given as text, or as an object with its own <c>_id</c> or <c>id</c>.</summary>
    public static string? IdOf(JsonNode? node) => node switch
    {
        JsonValue value when value.TryGetValue<string>(out var id) => id,
        JsonObject populated => IdOf(populated["_id"]) ?? IdOf(populated["id"]),
        _ => null,
    };

    /// <summary>An ISO 8601 time; anything else the server may send reads as unknown rather than failing the call.</summary>
    public static DateTimeOffset? ToTime(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;
}
