using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

// What the auth state's multi-step operations found, for the endpoints to turn into answers.

internal enum RefreshStatus
{
    /// <summary>The token was exchanged for a new one of the same session.</summary>
    Rotated,

    /// <summary>Unknown, expired, or of a revoked session.</summary>
    Invalid,

    /// <summary>Already exchanged before: its session is now revoked.</summary>
    Reused,
}

/// <summary>The result of presenting a refresh token; <see cref="User"/> and <see cref="SessionId"/> are set when it rotated.</summary>
internal readonly record struct RefreshOutcome(RefreshStatus Status, UserAccount? User = null, string? SessionId = null);

internal enum ConversionStatus
{
    Converted,

    /// <summary>The user already has a full account.</summary>
    NotAnonymous,

    /// <summary>Another user of the project has the email.</summary>
    EmailTaken,
}

/// <summary>The result of converting a guest; <see cref="User"/> is the converted user when it succeeded.</summary>
internal readonly record struct ConversionOutcome(ConversionStatus Status, UserAccount? User = null);
