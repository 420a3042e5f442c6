using System.Net;
using System.Text.Json;

namespace Mudbase;

/// <summary>
/// A call to Mudbase failed: the server answered with an error, answered something unreadable, or did not answer.
/// Subclasses name the common cases; catch this type to handle them all.
/// </summary>
public class MudbaseException : Exception
{
    /// <summary>Creates an exception with a message (for tests and mocks).</summary>
    public MudbaseException(string message) : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause (for tests and mocks).</summary>
    public MudbaseException(string message, Exception? innerException) : base(message, innerException)
    {
    }

    internal MudbaseException(MudbaseErrorInfo info, Exception? innerException)
        : this(info.FormatMessage(), info, innerException)
    {
    }

    internal MudbaseException(string message, MudbaseErrorInfo info, Exception? innerException)
        : base(message, innerException)
    {
        StatusCode = info.StatusCode;
        ErrorCode = info.ErrorCode;
        Details = info.Details;
        RequestId = info.RequestId;
        RetryAfter = info.RetryAfter;
        RateLimit = info.RateLimit;
        ResponseBody = info.ResponseBody;
        Facts = new ErrorFacts(info.Body);
    }

    /// <summary>The facts of the body beyond its text (permissions, clashes), read by the subclasses that expose them.</summary>
    private protected ErrorFacts Facts { get; }

    /// <summary>The HTTP status of the answer, or null when no answer arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The body's <c>code</c>, such as <c>RATE_LIMITED</c> or <c>EMAIL_VERIFICATION_REQUIRED</c>; free text.</summary>
    public string? ErrorCode { get; }

    /// <summary>The body's <c>details</c> (a string, an object or an array), or the whole body when it is an object without <c>error</c> or <c>message</c>.</summary>
    public JsonElement? Details { get; }

    /// <summary>The request id, from the body's <c>requestId</c> or the <c>x-request-id</c> header: quote it to support.</summary>
    public string? RequestId { get; }

    /// <summary>How long the server asked to wait before trying again, if it said.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>The rate-limit headers of the answer, if it carried any.</summary>
    public RateLimitInfo? RateLimit { get; }

    /// <summary>The raw body of the answer, cut at 4 KB, with token and password values masked.</summary>
    public string? ResponseBody { get; }
}

/// <summary>The server rejected the request's content (400 or 422): see <see cref="MudbaseException.Details"/>.</summary>
public sealed class MudbaseValidationException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseValidationException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseValidationException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseValidationException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }
}

/// <summary>Authentication failed or is missing (401): bad credentials, or an expired or revoked token.</summary>
public sealed class MudbaseAuthenticationException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseAuthenticationException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseAuthenticationException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseAuthenticationException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }
}

/// <summary>The request is not allowed (403): a permission, a feature gate, or an unverified email.</summary>
public sealed class MudbaseForbiddenException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseForbiddenException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseForbiddenException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseForbiddenException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }

    /// <summary>True when the user must verify their email before signing in (<c>EMAIL_VERIFICATION_REQUIRED</c>).</summary>
    public bool IsEmailVerificationRequired =>
        string.Equals(ErrorCode, "EMAIL_VERIFICATION_REQUIRED", StringComparison.OrdinalIgnoreCase);

    /// <summary>The action a collection permission required (<c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>), when the refusal says.</summary>
    public string? RequiredAction => Facts.RequiredAction;

    /// <summary>The collection whose permission was missing, when the refusal says.</summary>
    public string? RequiredCollection => Facts.RequiredCollection;

    /// <summary>
    /// The roles one of which the call needed, when the refusal lists them (org calls: <c>owner</c>, <c>admin</c>,
    /// <c>developer</c>; a server app makes those with an API key); empty otherwise.
    /// </summary>
    public IReadOnlyList<string> RequiredRoles => Facts.RequiredRoles ?? [];

    /// <summary>The caller's system role as the server saw it (<c>userRole</c>, or <c>current</c>), for example <c>viewer</c>.</summary>
    public string? UserRole => Facts.UserRole;

    /// <summary>The caller's app role (<c>customRole</c>), which collection permissions are matched on; <c>none</c> for a guest.</summary>
    public string? CustomRole => Facts.CustomRole;
}

/// <summary>What the request names does not exist (404), for example an unknown project.</summary>
public sealed class MudbaseNotFoundException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseNotFoundException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseNotFoundException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseNotFoundException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }
}

/// <summary>The request conflicts with existing state (409), for example an email already registered.</summary>
public sealed class MudbaseConflictException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseConflictException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseConflictException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseConflictException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }

    /// <summary>The unique field that already holds the value (a <c>duplicate_key</c> clash), when the server says.</summary>
    public string? Field => Facts.ConflictField;

    /// <summary>The value that clashed, as sent back by the server, when it says.</summary>
    public JsonElement? Value => Facts.ConflictValue;
}

/// <summary>
/// Too many requests (429) and the wait was longer than <see cref="MudbaseRetryOptions.MaxRetryAfter"/>, or retries ran out.
/// <see cref="MudbaseException.RetryAfter"/> says when to try again.
/// </summary>
public sealed class MudbaseRateLimitException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseRateLimitException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseRateLimitException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseRateLimitException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }
}

/// <summary>The server or a proxy in front of it failed (5xx).</summary>
public sealed class MudbaseServerException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseServerException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseServerException(string message, Exception? innerException) : base(message, innerException) { }
    internal MudbaseServerException(MudbaseErrorInfo info, Exception? innerException) : base(info, innerException) { }
}

/// <summary>
/// No answer arrived: the connection failed, or every attempt timed out. The cause is the inner exception
/// (a <see cref="TimeoutException"/> for timeouts). Never used for the caller's own cancellation.
/// </summary>
public sealed class MudbaseTransportException : MudbaseException
{
    /// <inheritdoc cref="MudbaseException(string)" />
    public MudbaseTransportException(string message) : base(message) { }
    /// <inheritdoc cref="MudbaseException(string, Exception)" />
    public MudbaseTransportException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>True when the last attempt was abandoned because it took longer than <see cref="MudbaseClientOptions.Timeout"/>.</summary>
    public bool IsTimeout => InnerException is TimeoutException;
}
