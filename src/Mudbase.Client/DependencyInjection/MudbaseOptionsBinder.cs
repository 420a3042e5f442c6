using System.Globalization;
using Microsoft.Extensions.Configuration;
using Mudbase;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Binds a configuration section to <see cref="MudbaseClientOptions"/> without reflection (trimming- and AOT-safe).
/// Written out because the configuration binder's source generator of the 8.0 packages does not build with
/// current compilers, and a newer one would force .NET 8 apps onto newer Microsoft.Extensions packages.
/// </summary>
internal static class MudbaseOptionsBinder
{
    public static void Bind(IConfiguration configuration, MudbaseClientOptions options)
    {
        if (configuration["BaseUrl"] is { } baseUrl)
        {
            options.BaseUrl = Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri : throw Invalid(configuration, "BaseUrl", "an absolute URL");
        }

        options.ProjectId = configuration["ProjectId"] ?? options.ProjectId;
        options.ApiKey = configuration["ApiKey"] ?? options.ApiKey;
        options.Timeout = ReadTimeSpan(configuration, "Timeout") ?? options.Timeout;
        options.RefreshSkew = ReadTimeSpan(configuration, "RefreshSkew") ?? options.RefreshSkew;
        options.AllowInsecureHttp = ReadBool(configuration, "AllowInsecureHttp") ?? options.AllowInsecureHttp;

        var retry = configuration.GetSection("Retry");
        options.Retry ??= new MudbaseRetryOptions();
        options.Retry.MaxRetries = ReadInt(retry, "MaxRetries") ?? options.Retry.MaxRetries;
        options.Retry.BaseDelay = ReadTimeSpan(retry, "BaseDelay") ?? options.Retry.BaseDelay;
        options.Retry.MaxDelay = ReadTimeSpan(retry, "MaxDelay") ?? options.Retry.MaxDelay;
        options.Retry.MaxRetryAfter = ReadTimeSpan(retry, "MaxRetryAfter") ?? options.Retry.MaxRetryAfter;
    }

    private static TimeSpan? ReadTimeSpan(IConfiguration section, string key) =>
        section[key] is not { } text ? null
        : TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(section, key, "a time span such as 00:00:30");

    private static int? ReadInt(IConfiguration section, string key) =>
        section[key] is not { } text ? null
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value
        : throw Invalid(section, key, "a whole number");

    private static bool? ReadBool(IConfiguration section, string key) =>
        section[key] is not { } text ? null
        : bool.TryParse(text, out var value) ? value
        : throw Invalid(section, key, "true or false");

    private static InvalidOperationException Invalid(IConfiguration section, string key, string expected)
    {
        var path = section is IConfigurationSection s ? s.Path + ":" + key : key;
        return new InvalidOperationException($"Configuration value '{path}' must be {expected}.");
    }
}
