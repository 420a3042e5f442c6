using System.Globalization;
using System.Text.Json;

namespace Mudbase.Internal;

/// <summary>Loose reading of answer fields whose type the server has not pinned down: an odd value reads as unknown rather than failing the call.</summary>
internal static class WireText
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoProperties = new Dictionary<string, JsonElement>();

    /// <summary>An ISO 8601 time, or null.</summary>
    public static DateTimeOffset? Time(string? text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    /// <summary>The strings of a list, nulls dropped; empty for none.</summary>
    public static IReadOnlyList<string> Strings(List<string?>? values) => values?.OfType<string>().ToArray() ?? [];

    /// <summary>Extension data as a read-only view; empty for none.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Properties(Dictionary<string, JsonElement>? values) => values ?? NoProperties;

    /// <summary>A wire enum: the value whose name matches the server's text, ignoring case and <c>_</c>; <paramref name="unknown"/> otherwise.</summary>
    public static TEnum Enum<TEnum>(string? text, TEnum unknown)
        where TEnum : struct, System.Enum
    {
        var name = text?.Replace("_", "");
        // Letters only: Enum.TryParse would also take numbers and comma lists, which name no member.
        return name is { Length: > 0 } && name.All(char.IsLetter) && System.Enum.TryParse<TEnum>(name, ignoreCase: true, out var value) ? value : unknown;
    }
}
