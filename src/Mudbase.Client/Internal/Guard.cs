namespace Mudbase.Internal;

/// <summary>Argument checks shared by every facade method: they fail before any request is sent.</summary>
internal static class Guard
{
    public static void NotBlank(string? value, string paramName)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be empty or whitespace.", paramName);
        }
    }

    /// <summary>An optional value may be absent, but not present and blank.</summary>
    public static void NullOrNotBlank(string? value, string paramName)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must be null or a non-empty value.", paramName);
        }
    }
}
