using System.Globalization;
using System.Text.Json;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Storage;

/// <summary>The storage bodies' field checks beyond <see cref="BodyFields"/>, with Joi's messages, and the expiry of signed URLs.</summary>
internal static class StorageFields
{
    /// <summary>A signed URL's lifetime when the caller names none: an hour, as live.</summary>
    public const int DefaultExpiresIn = 3600;

    /// <summary>The longest lifetime a signed URL gets (7 days, the S3 limit); a longer one asked for is clamped, not refused.</summary>
    public const int MaxExpiresIn = 7 * 24 * 3600;

    public static bool? OptionalBoolean(JsonElement body, string name, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return value.GetBoolean();
        }

        errors.Add($"\"{name}\" must be a boolean");
        return null;
    }

    public static JsonElement? OptionalObject(JsonElement body, string name, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Object)
        {
            return value;
        }

        errors.Add($"\"{name}\" must be of type object");
        return null;
    }

    /// <summary>
    /// <c>expiresIn</c> in seconds, from a JSON body or a query string (<paramref name="value"/> is then a string):
    /// <see cref="DefaultExpiresIn"/> when absent, at least 1 (else 400), at most <see cref="MaxExpiresIn"/>.
    /// </summary>
    public static bool TryExpiresIn(JsonElement? value, out int seconds, out IResult? error)
    {
        seconds = DefaultExpiresIn;
        error = null;
        if (value is not { } given)
        {
            return true;
        }

        double? number = given.ValueKind switch
        {
            JsonValueKind.Number => given.GetDouble(),
            JsonValueKind.String when double.TryParse(given.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => null,
        };
        var problem = number switch
        {
            null or double.NaN or double.PositiveInfinity or double.NegativeInfinity => "\"expiresIn\" must be a number",
            < 1 => "\"expiresIn\" must be greater than or equal to 1",
            _ when number != Math.Floor(number.Value) => "\"expiresIn\" must be an integer",
            _ => null,
        };
        if (problem is not null)
        {
            error = ErrorResults.ValidationFailed([problem]);
            return false;
        }

        seconds = (int)Math.Min(number!.Value, MaxExpiresIn);
        return true;
    }

    /// <summary><c>?expiresIn=</c> as <see cref="TryExpiresIn(JsonElement?, out int, out IResult?)"/> reads it.</summary>
    public static bool TryExpiresIn(IQueryCollection query, out int seconds, out IResult? error) =>
        TryExpiresIn(
            query.TryGetValue("expiresIn", out var text) ? JsonAnswer.ToElement(writer => writer.WriteStringValue(text.ToString())) : null,
            out seconds,
            out error);
}
