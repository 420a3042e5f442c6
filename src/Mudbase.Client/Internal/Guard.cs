namespace Mudbase.Internal;

/// <summary>
/// Argument checks shared by every facade method: they fail before any request is sent, naming the parameter.
/// Besides null and blank, text that cannot cross the wire intact (a lone UTF-16 surrogate, a control character)
/// or is absurdly long is refused here rather than sent for the server to choke on.
/// </summary>
internal static class Guard
{
    /// <summary>Emails, names, ids, codes, passwords: far above any real value.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Access, refresh, verification and reset tokens.</summary>
    public const int MaxTokenLength = 16 * 1024;

    public static void NotBlank(string? value, string paramName, int maxLength = MaxTextLength)
    {
        if (value is null)
        {
            throw new ArgumentNullException(paramName, $"{paramName} is required.");
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must not be empty or whitespace.", paramName);
        }

        CheckText(value, paramName, maxLength);
    }

    /// <summary>An optional value may be absent, but not present and blank.</summary>
    public static void NullOrNotBlank(string? value, string paramName, int maxLength = MaxTextLength)
    {
        if (value is null)
        {
            return;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ArgumentException($"{paramName} must be null or a non-empty value.", paramName);
        }

        CheckText(value, paramName, maxLength);
    }

    /// <summary>
    /// The project a call is for: <paramref name="requested"/> (null, or not blank) when given, else the options'
    /// <paramref name="fallback"/>; neither is an <see cref="ArgumentException"/> naming <paramref name="paramName"/>.
    /// </summary>
    public static string ProjectId(string? requested, string? fallback, string paramName)
    {
        NullOrNotBlank(requested, paramName);
        return requested ?? fallback
            ?? throw new ArgumentException($"A project id is required: set {paramName} or MudbaseClientOptions.ProjectId.", paramName);
    }

    /// <summary>True for text the checks above accept: present, not blank, printable, not too long.</summary>
    public static bool IsValidText(string? value, int maxLength = MaxTextLength) =>
        !string.IsNullOrWhiteSpace(value) && FindProblem(value, nameof(value), maxLength) is null;

    private static void CheckText(string value, string paramName, int maxLength)
    {
        if (FindProblem(value, paramName, maxLength) is { } problem)
        {
            throw new ArgumentException(problem, paramName);
        }
    }

    /// <summary>The message says where and what, never the value itself: it may be a password.</summary>
    private static string? FindProblem(string value, string paramName, int maxLength)
    {
        if (value.Length > maxLength)
        {
            return $"{paramName} is {value.Length} characters long; at most {maxLength} are accepted.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                i++;
                continue;
            }

            if (char.IsSurrogate(c))
            {
                return $"{paramName} holds a broken Unicode character (a lone surrogate) at position {i}.";
            }

            if (char.IsControl(c))
            {
                return $"{paramName} holds a control character (U+{(int)c:X4}) at position {i}.";
            }
        }

        return null;
    }
}
