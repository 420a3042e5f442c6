namespace Mudbase.Internal;

/// <summary>The one place that decides whether options are usable; the constructor and DI both call it.</summary>
internal static class OptionsValidator
{
    internal const int MaxRetriesLimit = 10;
    private static readonly TimeSpan LongestTimeout = TimeSpan.FromDays(1);

    /// <summary>Returns one message per problem, each naming the option.</summary>
    public static List<string> Validate(MudbaseClientOptions? options)
    {
        var failures = new List<string>();
        if (options is null)
        {
            failures.Add("The options must not be null.");
            return failures;
        }

        var url = options.BaseUrl;
        if (url is null)
        {
            failures.Add("BaseUrl is required.");
        }
        else if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"BaseUrl must be an absolute http or https URL (got '{url}').");
        }
        else if (url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback && !options.AllowInsecureHttp)
        {
            failures.Add($"BaseUrl '{url}' uses plain http to a host that is not loopback: passwords and tokens would cross the network unencrypted. Use https, or set AllowInsecureHttp to true.");
        }
        else if (!string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            failures.Add($"BaseUrl must not carry a query or fragment (got '{url.GetLeftPart(UriPartial.Path)}…').");
        }
        else if (!string.IsNullOrEmpty(url.UserInfo))
        {
            // Not echoed: the user info is a credential. Use ApiKey instead.
            failures.Add("BaseUrl must not carry a user name or password; use ApiKey.");
        }

        if (options.ProjectId is { } projectId && !Guard.IsValidText(projectId))
        {
            failures.Add("ProjectId must be null or a non-empty project id of printable characters.");
        }

        if (options.ApiKey is { } apiKey && !Guard.IsValidText(apiKey))
        {
            // The key itself is never echoed.
            failures.Add("ApiKey must be null or a non-empty value of printable characters.");
        }

        if (options.Timeout != System.Threading.Timeout.InfiniteTimeSpan &&
            (options.Timeout <= TimeSpan.Zero || options.Timeout > LongestTimeout))
        {
            failures.Add($"Timeout must be positive and at most one day, or Timeout.InfiniteTimeSpan (got {options.Timeout}).");
        }

        if (options.RefreshSkew < TimeSpan.Zero || options.RefreshSkew > LongestTimeout)
        {
            failures.Add($"RefreshSkew must be between zero and one day (got {options.RefreshSkew}).");
        }

        CheckRealtime(options.Realtime, failures);
        var retry = options.Retry;
        if (retry is null)
        {
            failures.Add("Retry is required.");
            return failures;
        }

        if (retry.MaxRetries is < 0 or > MaxRetriesLimit)
        {
            failures.Add($"Retry.MaxRetries must be between 0 and {MaxRetriesLimit} (got {retry.MaxRetries}).");
        }

        if (retry.BaseDelay < TimeSpan.Zero || retry.BaseDelay > LongestTimeout)
        {
            failures.Add($"Retry.BaseDelay must be between zero and one day (got {retry.BaseDelay}).");
        }

        if (retry.MaxDelay < retry.BaseDelay || retry.MaxDelay > LongestTimeout)
        {
            failures.Add($"Retry.MaxDelay must be at least Retry.BaseDelay and at most one day (got {retry.MaxDelay}).");
        }

        if (retry.MaxRetryAfter < TimeSpan.Zero || retry.MaxRetryAfter > LongestTimeout)
        {
            failures.Add($"Retry.MaxRetryAfter must be between zero and one day (got {retry.MaxRetryAfter}).");
        }

        return failures;
    }

    private static void CheckRealtime(MudbaseRealtimeOptions? realtime, List<string> failures)
    {
        if (realtime is null)
        {
            failures.Add("Realtime is required.");
            return;
        }

        if (realtime.ReconnectDelay <= TimeSpan.Zero || realtime.ReconnectDelay > LongestTimeout)
        {
            failures.Add($"Realtime.ReconnectDelay must be more than zero and at most one day (got {realtime.ReconnectDelay}).");
        }

        if (realtime.MaxReconnectDelay < realtime.ReconnectDelay || realtime.MaxReconnectDelay > LongestTimeout)
        {
            failures.Add($"Realtime.MaxReconnectDelay must be at least Realtime.ReconnectDelay and at most one day (got {realtime.MaxReconnectDelay}).");
        }

        if (realtime.MaxReconnectAttempts is < 1)
        {
            failures.Add($"Realtime.MaxReconnectAttempts must be null (no limit) or at least 1 (got {realtime.MaxReconnectAttempts}).");
        }
    }

    /// <summary>Validates and copies: what a client keeps is immune to later changes by the caller.</summary>
    public static MudbaseClientOptions ValidateAndFreeze(MudbaseClientOptions? options, string paramName)
    {
        ArgumentNullException.ThrowIfNull(options, paramName);
        var failures = Validate(options);
        if (failures.Count > 0)
        {
            throw new ArgumentException("Invalid MudbaseClientOptions: " + string.Join(" ", failures), paramName);
        }

        return options.Clone();
    }
}
