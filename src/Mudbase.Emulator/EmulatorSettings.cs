using Mudbase.Emulator.Chaos;
using Mudbase.Emulator.Realtime;

namespace Mudbase.Emulator;

/// <summary>
/// A validated copy of <see cref="MudbaseEmulatorOptions"/>: the options object is mutable and
/// belongs to the caller, so a running emulator never reads it again.
/// </summary>
internal sealed record EmulatorSettings(
    int Port,
    bool EnableRateLimits,
    TimeSpan AccessTokenLifetime,
    TimeSpan RefreshTokenLifetime,
    TimeProvider TimeProvider,
    LogLevel MinimumLogLevel,
    ChaosSettings? Chaos,
    long MaxFileUploadBytes,
    RealtimeSettings Realtime)
{
    public static EmulatorSettings From(MudbaseEmulatorOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port, nameof(options.Port));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Port, 65535, nameof(options.Port));
        // expiresIn is reported in whole seconds, so anything shorter would read as 0.
        ArgumentOutOfRangeException.ThrowIfLessThan(options.AccessTokenLifetime, TimeSpan.FromSeconds(1), nameof(options.AccessTokenLifetime));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RefreshTokenLifetime, TimeSpan.FromSeconds(1), nameof(options.RefreshTokenLifetime));
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxFileUploadBytes, nameof(options.MaxFileUploadBytes));

        return new EmulatorSettings(
            options.Port,
            options.EnableRateLimits,
            options.AccessTokenLifetime,
            options.RefreshTokenLifetime,
            options.TimeProvider,
            options.MinimumLogLevel,
            options.Chaos is null ? null : ChaosSettings.From(options.Chaos),
            options.MaxFileUploadBytes,
            RealtimeSettings.From(options));
    }
}
