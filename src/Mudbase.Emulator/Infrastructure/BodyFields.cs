using System.Text.Json;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Field checks with the messages of Joi, the validator behind the hosted service, so that
/// validation details read exactly like the live ones (<c>"email" is required</c>).
/// Each check adds its failure to the list and returns <see langword="null"/>: the live server
/// reports every failure, not just the first.
/// </summary>
internal static class BodyFields
{
    public static string? RequiredString(JsonElement body, string name, List<string> errors, int minLength = 1)
    {
        if (!body.TryGetProperty(name, out var value))
        {
            errors.Add($"\"{name}\" is required");
            return null;
        }

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
}
