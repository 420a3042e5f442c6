using Microsoft.Extensions.Logging;

namespace Mudbase.Diagnostics;

/// <summary>
/// Every log line the SDK writes, source-generated with event ids. Paths are logged without their query string;
/// no header values, no bodies, no tokens, no passwords: nothing here can carry a secret.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Sending {Method} {Path} (attempt {Attempt})")]
    public static partial void RequestStarting(ILogger logger, string method, string path, int attempt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms (attempt {Attempt}, request id {RequestId})")]
    public static partial void RequestFinished(ILogger logger, string method, string path, int statusCode, double elapsedMs, int attempt, string? requestId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "{Method} {Path} got no answer after {ElapsedMs:0.0} ms (attempt {Attempt}): {Reason}")]
    public static partial void RequestGotNoAnswer(ILogger logger, string method, string path, double elapsedMs, int attempt, string reason);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "Retrying {Method} {Path} in {DelayMs:0} ms after {Reason} (attempt {Attempt} of {MaxAttempts})")]
    public static partial void Retrying(ILogger logger, string method, string path, double delayMs, string reason, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 20, Level = LogLevel.Information, Message = "Refreshing the session of user {UserId}")]
    public static partial void Refreshing(ILogger logger, string userId);

    [LoggerMessage(EventId = 21, Level = LogLevel.Information, Message = "Refreshed the session of user {UserId}; the access token expires at {ExpiresAt:O}")]
    public static partial void Refreshed(ILogger logger, string userId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "The server rejected the refresh token of user {UserId} ({StatusCode}): the session has ended")]
    public static partial void RefreshRejected(ILogger logger, string userId, int statusCode);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Refreshing the session of user {UserId} failed; the session is kept: {Reason}")]
    public static partial void RefreshFailed(ILogger logger, string userId, string reason);

    [LoggerMessage(EventId = 30, Level = LogLevel.Warning, Message = "{Method} {Path} failed with {StatusCode} after {Attempts} attempt(s) (request id {RequestId})")]
    public static partial void CallFailed(ILogger logger, string method, string path, int statusCode, int attempts, string? requestId);

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{Method} {Path} got no answer after {Attempts} attempt(s): {Reason}")]
    public static partial void CallGotNoAnswer(ILogger logger, string method, string path, int attempts, string reason);
    [LoggerMessage(EventId = 40, Level = LogLevel.Debug, Message = "Realtime: connecting to {Host} (attempt {Attempt})")]
    public static partial void RealtimeConnecting(ILogger logger, string host, int attempt);

    [LoggerMessage(EventId = 41, Level = LogLevel.Information, Message = "Realtime: connected as user {UserId}; {Watches} watch(es) to subscribe")]
    public static partial void RealtimeConnected(ILogger logger, string? userId, int watches);

    [LoggerMessage(EventId = 42, Level = LogLevel.Warning, Message = "Realtime: the connection was lost ({Reason}); reconnecting")]
    public static partial void RealtimeLost(ILogger logger, string reason);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Realtime: reconnecting in {DelayMs:0} ms after {Reason} (attempt {Attempt})")]
    public static partial void RealtimeRetrying(ILogger logger, double delayMs, string reason, int attempt);

    [LoggerMessage(EventId = 44, Level = LogLevel.Warning, Message = "Realtime: the server refused the session's token ({Refusals} time(s) in a row): {ServerMessage}")]
    public static partial void RealtimeRefused(ILogger logger, int refusals, string serverMessage);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "Realtime: giving up, every watch ends: {Reason}")]
    public static partial void RealtimeGaveUp(ILogger logger, string reason);

    [LoggerMessage(EventId = 46, Level = LogLevel.Debug, Message = "Realtime: closed")]
    public static partial void RealtimeClosed(ILogger logger);
}
