using System.Text.Json;

namespace Mudbase.Users;

/// <summary>The signed-in user's account as <c>/api/users/me</c> describes it. Every field may be absent; the SDK makes these from the server's answers.</summary>
public sealed class UserProfile
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoProperties = new Dictionary<string, JsonElement>();

    /// <summary>The user's id (the server's <c>_id</c>, or <c>id</c>).</summary>
    public string Id { get; init; } = "";

    /// <summary>The email address.</summary>
    public string? Email { get; init; }

    /// <summary>The first name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last name.</summary>
    public string? LastName { get; init; }

    /// <summary>The full name, when the server sends one.</summary>
    public string? FullName { get; init; }

    /// <summary>The avatar's URL.</summary>
    public string? Avatar { get; init; }

    /// <summary>The system role: <c>viewer</c> for every project user.</summary>
    public string? Role { get; init; }

    /// <summary>The app role (<c>customer</c>, <c>vendor</c>, …), if the user has one.</summary>
    public string? CustomRole { get; init; }

    /// <summary>Whether this is an anonymous (guest) user.</summary>
    public bool? IsAnonymous { get; init; }

    /// <summary>Whether the email address is verified.</summary>
    public bool? EmailVerified { get; init; }

    /// <summary>Whether two-factor authentication is on.</summary>
    public bool? TwoFactorEnabled { get; init; }

    /// <summary>When the user last signed in.</summary>
    public DateTimeOffset? LastLogin { get; init; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the account was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>Every other field of the server's answer (such as <c>org</c> or <c>phoneVerified</c>), as raw JSON.</summary>
    public IReadOnlyDictionary<string, JsonElement> AdditionalProperties { get; init; } = NoProperties;

    /// <inheritdoc />
    public override string ToString() => $"UserProfile {{ Id = {Id}, Email = {Email}, CustomRole = {CustomRole}, TwoFactorEnabled = {TwoFactorEnabled} }}";
}

/// <summary>
/// What <see cref="IMudbaseUsers.SetUpTwoFactorAsync"/> returns: the new TOTP secret in the forms an authenticator app
/// takes. Show it to the user, and keep it nowhere: anyone with the secret can make the codes.
/// </summary>
/// <remarks><see cref="ToString"/> shows none of it.</remarks>
public sealed class TwoFactorSetup
{
    /// <summary>The TOTP secret, base32 (RFC 6238).</summary>
    public required string Secret { get; init; }

    /// <summary>The QR code to scan, as a <c>data:</c> URI (such as <c>data:image/png;base64,…</c>) for an <c>img</c> element.</summary>
    public string? QrCode { get; init; }

    /// <summary>The secret as the user types it into an app that cannot scan; the <see cref="Secret"/> when the server sends none.</summary>
    public required string ManualEntryKey { get; init; }

    /// <summary>One-time backup codes, when the server sends some; empty otherwise.</summary>
    public IReadOnlyList<string> BackupCodes { get; init; } = [];

    /// <inheritdoc />
    public override string ToString() => $"TwoFactorSetup {{ Secret = ***, QrCode = {(QrCode is null ? "none" : "***")}, BackupCodes = {BackupCodes.Count} }}";
}

/// <summary>A sign-in provider linked to the account.</summary>
public sealed class LinkedProvider
{
    /// <summary>The provider, such as <c>google</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The user's id at the provider.</summary>
    public string? ProviderId { get; init; }

    /// <summary>The email address the provider gave.</summary>
    public string? Email { get; init; }

    /// <summary>When it was linked.</summary>
    public DateTimeOffset? LinkedAt { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"LinkedProvider {{ Provider = {Provider}, Email = {Email} }}";
}

/// <summary>What <see cref="IMudbaseUsers.EraseAccountAsync"/> did, as the server says.</summary>
public sealed class EraseAccountResult
{
    /// <summary>The server's message.</summary>
    public string? Message { get; init; }

    /// <summary>Whether the account had been erased already.</summary>
    public bool? AlreadyErased { get; init; }

    /// <summary>Whether the account's data was anonymized.</summary>
    public bool? Anonymized { get; init; }

    /// <summary>How many sessions the server revoked, on every device.</summary>
    public int? SessionsRevoked { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"EraseAccountResult {{ AlreadyErased = {AlreadyErased}, Anonymized = {Anonymized}, SessionsRevoked = {SessionsRevoked} }}";
}

/// <summary>What <see cref="IMudbaseUsers.UpdateProfileAsync"/> changes: only what is set.</summary>
public sealed class UpdateProfileRequest
{
    /// <summary>The new first name; null leaves it.</summary>
    public string? FirstName { get; set; }

    /// <summary>The new last name; null leaves it.</summary>
    public string? LastName { get; set; }

    /// <summary>The new avatar's URL; null leaves it.</summary>
    public string? Avatar { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"UpdateProfileRequest {{ FirstName = {FirstName}, LastName = {LastName}, Avatar = {Avatar} }}";
}

/// <summary>
/// What <see cref="IMudbaseUsers.EraseAccountAsync"/> sends. <see cref="Confirm"/> must be
/// <see cref="ConfirmationText"/>, as the server asks, so that no call erases an account by accident.
/// </summary>
/// <remarks><see cref="ToString"/> never shows the password or the code.</remarks>
public sealed class EraseAccountRequest
{
    /// <summary>The text <see cref="Confirm"/> must hold: <c>DELETE</c>.</summary>
    public const string ConfirmationText = "DELETE";

    /// <summary>The confirmation: exactly <see cref="ConfirmationText"/>.</summary>
    public required string Confirm { get; set; }

    /// <summary>The account's password; the server asks for it when the account has one.</summary>
    public string? CurrentPassword { get; set; }

    /// <summary>The authenticator app's current code; the server asks for it when two-factor authentication is on.</summary>
    public string? TwoFactorCode { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"EraseAccountRequest {{ Confirm = {Confirm}, CurrentPassword = {(CurrentPassword is null ? "none" : "***")}, TwoFactorCode = {(TwoFactorCode is null ? "none" : "***")} }}";
}
