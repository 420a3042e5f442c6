using System.Text.Json;
using System.Text.Json.Serialization;
using Mudbase.Internal;
using Mudbase.Serialization;

namespace Mudbase.Users;

// The shapes on the wire (CONTRACT.md, Users), read leniently: every field may be missing, unknown ones are kept or ignored.

/// <summary>A <c>User</c>, or the <c>{user}</c> / <c>{message, user}</c> envelope around one: either is read for me and update.</summary>
internal sealed class UserAnswer : IJsonOnDeserialized
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Email { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? FirstName { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastName { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? FullName { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Avatar { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Role { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CustomRole { get; set; }

    public bool? IsAnonymous { get; set; }

    public bool? EmailVerified { get; set; }

    public bool? TwoFactorEnabled { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LastLogin { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UpdatedAt { get; set; }

    /// <summary>The envelope's user, when this is an envelope.</summary>
    public UserAnswer? User { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (User is null && MongoId is null && Id is null)
        {
            throw new JsonException("The answer is no user: it has no '_id' or 'id', and no 'user' inside.");
        }
    }

    public UserProfile ToProfile()
    {
        var user = User ?? this;
        // An envelope's own fields (message) are not the user's.
        return new UserProfile
        {
            Id = user.MongoId ?? user.Id ?? "",
            Email = user.Email,
            FirstName = user.FirstName,
            LastName = user.LastName,
            FullName = user.FullName,
            Avatar = user.Avatar,
            Role = user.Role,
            CustomRole = user.CustomRole,
            IsAnonymous = user.IsAnonymous,
            EmailVerified = user.EmailVerified,
            TwoFactorEnabled = user.TwoFactorEnabled,
            LastLogin = WireText.Time(user.LastLogin),
            CreatedAt = WireText.Time(user.CreatedAt),
            UpdatedAt = WireText.Time(user.UpdatedAt),
            AdditionalProperties = WireText.Properties(user.Unmapped),
        };
    }
}

internal sealed class UpdateProfileBody
{
    public string? FirstName { get; init; }

    public string? LastName { get; init; }

    public string? Avatar { get; init; }
}

internal sealed class ChangePasswordBody
{
    public required string CurrentPassword { get; init; }

    public required string NewPassword { get; init; }

    /// <inheritdoc />
    public override string ToString() => "ChangePasswordBody { *** }";
}

/// <summary>The password change's <c>{message}</c>; a server that starts a new session with it sends a token set too (accepted).</summary>
internal sealed class ChangePasswordAnswer
{
    public string? Message { get; init; }

    public string? Token { get; init; }

    public string? RefreshToken { get; init; }

    public int? ExpiresIn { get; init; }

    public Auth.MudbaseUser? User { get; init; }
}

/// <summary>The 2FA verify body, <c>{token}</c>: the TOTP code.</summary>
internal sealed class TwoFactorCodeBody
{
    public required string Token { get; init; }

    /// <inheritdoc />
    public override string ToString() => "TwoFactorCodeBody { *** }";
}

internal sealed class DisableTwoFactorBody
{
    public required string Password { get; init; }

    public required string Token { get; init; }

    /// <inheritdoc />
    public override string ToString() => "DisableTwoFactorBody { *** }";
}

internal sealed class TwoFactorSetupAnswer
{
    public required string Secret { get; init; }

    public string? QrCode { get; init; }

    public string? ManualEntryKey { get; init; }

    public List<string?>? BackupCodes { get; init; }

    public TwoFactorSetup ToSetup() => new()
    {
        Secret = Secret,
        QrCode = QrCode,
        ManualEntryKey = ManualEntryKey ?? Secret,
        BackupCodes = WireText.Strings(BackupCodes),
    };
}

internal sealed class EraseAccountBody
{
    public required string Confirm { get; init; }

    public string? CurrentPassword { get; init; }

    public string? TotpToken { get; init; }

    /// <inheritdoc />
    public override string ToString() => "EraseAccountBody { *** }";
}

/// <summary><c>{success, message, data:{alreadyErased, subjectId, anonymized, sessionsRevoked}}</c>; an older server's other shape reads with only the message.</summary>
internal sealed class EraseAccountAnswer
{
    public string? Message { get; init; }

    public EraseAccountData? Data { get; init; }

    public EraseAccountResult ToResult() => new()
    {
        Message = Message,
        AlreadyErased = Data?.AlreadyErased,
        Anonymized = Data?.Anonymized,
        SessionsRevoked = Data?.SessionsRevoked,
    };
}

internal sealed class EraseAccountData
{
    public bool? AlreadyErased { get; init; }

    public bool? Anonymized { get; init; }

    public int? SessionsRevoked { get; init; }
}

internal sealed class LinkedProvidersAnswer : IJsonOnDeserialized
{
    public List<LinkedProviderWire?>? Providers { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Providers is null)
        {
            throw new JsonException("The answer has no 'providers' array.");
        }
    }

    public IReadOnlyList<LinkedProvider> ToProviders() =>
        Providers!.OfType<LinkedProviderWire>().Select(static p => new LinkedProvider
        {
            Provider = p.Provider ?? "",
            ProviderId = p.ProviderId,
            Email = p.Email,
            LinkedAt = WireText.Time(p.LinkedAt),
        }).ToArray();
}

internal sealed class LinkedProviderWire
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Provider { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ProviderId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Email { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? LinkedAt { get; init; }
}
