using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Field checks with the messages of Joi, the validator behind the hosted service, so that
/// validation details read exactly like the live ones (<c>"email" is required</c>).
/// Each check adds its failure to the list and returns <see langword="null"/>: the live server
/// reports every failure, not just the first.
/// </summary>
internal static partial class BodyFields
{
    public static string? RequiredString(JsonElement body, string name, List<string> errors, int minLength = 1)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            errors.Add($"\"{name}\" is required");
            return null;
        }

        return ReadString(value, name, errors, minLength);
    }

    /// <summary>Like <see cref="RequiredString"/>, but absence is fine; <c>""</c> and <c>null</c> are not, as with Joi's <c>string()</c>.</summary>
    public static string? OptionalString(JsonElement body, string name, List<string> errors, int minLength = 1) =>
        body.TryGetProperty(name, out var value) ? ReadString(value, name, errors, minLength) : null;

    public static string? RequiredEmail(JsonElement body, string name, List<string> errors)
    {
        var text = RequiredString(body, name, errors);
        if (text is not null && !EmailAddress.IsValid(text))
        {
            errors.Add($"\"{name}\" must be a valid email");
            return null;
        }

        return text;
    }

    /// <summary>A string of exactly <paramref name="length"/> ASCII digits, such as a 6-digit code.</summary>
    public static string? RequiredDigits(JsonElement body, string name, int length, List<string> errors)
    {
        var text = RequiredString(body, name, errors);
        if (text is null)
        {
            return null;
        }

        if (text.Length != length)
        {
            errors.Add($"\"{name}\" length must be {length} characters long");
            return null;
        }

        return Matches(text, name, Digits(), errors);
    }

    /// <summary>
    /// A phone number in E.164 form: <c>+</c>, then 7 to 15 digits, the first not 0. One spelling
    /// per number, so that a number always finds its code and its user.
    /// </summary>
    public static string? RequiredPhone(JsonElement body, string name, List<string> errors)
    {
        var text = RequiredString(body, name, errors);
        return text is null ? null : Matches(text, name, Phone(), errors);
    }

    /// <summary>One of a fixed set of strings (Joi's <c>valid(…)</c>), compared exactly.</summary>
    public static string? RequiredOneOf(JsonElement body, string name, IReadOnlyList<string> allowed, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            errors.Add($"\"{name}\" is required");
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString()!, StringComparer.Ordinal))
        {
            return value.GetString();
        }

        errors.Add($"\"{name}\" must be one of [{string.Join(", ", allowed)}]");
        return null;
    }

    /// <summary>
    /// A field that must be the JSON literal <c>true</c> (Joi's <c>boolean().valid(true).required()</c>),
    /// such as agreeing to terms.
    /// </summary>
    public static bool RequiredTrue(JsonElement body, string name, List<string> errors)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            errors.Add($"\"{name}\" is required");
            return false;
        }

        if (value.ValueKind != JsonValueKind.True)
        {
            errors.Add($"\"{name}\" must be [true]");
            return false;
        }

        return true;
    }

    /// <summary>An absolute URI (Joi's <c>string().uri()</c>), or <see langword="null"/> when absent.</summary>
    public static Uri? OptionalUri(JsonElement body, string name, List<string> errors)
    {
        var text = OptionalString(body, name, errors);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            errors.Add($"\"{name}\" must be a valid uri");
            return null;
        }

        return uri;
    }

    private static string? ReadString(JsonElement value, string name, List<string> errors, int minLength)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"\"{name}\" must be a string");
            return null;
        }

        var text = value.GetString()!;
        if (text.Length == 0)
        {
            errors.Add($"\"{name}\" is not allowed to be empty");
            return null;
        }

        if (text.Length < minLength)
        {
            errors.Add($"\"{name}\" length must be at least {minLength} characters long");
            return null;
        }

        return text;
    }

    private static string? Matches(string text, string name, Regex pattern, List<string> errors)
    {
        if (pattern.IsMatch(text))
        {
            return text;
        }

        errors.Add($"\"{name}\" with value \"{text}\" fails to match the required pattern: /{pattern}/");
        return null;
    }

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex Digits();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex Phone();
}
