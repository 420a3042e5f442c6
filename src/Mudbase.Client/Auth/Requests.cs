namespace Mudbase.Auth;

/// <summary>What <see cref="IMudbaseAuth.CreateAnonymousAsync"/> sends. Both fields are optional.</summary>
public sealed class CreateAnonymousRequest
{
    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/> is used.</summary>
    public string? ProjectId { get; set; }

    /// <summary>An id of the device, so the server can tell a returning guest.</summary>
    public string? DeviceId { get; set; }
}

/// <summary>What <see cref="IMudbaseAuth.RegisterAsync"/> sends.</summary>
/// <remarks><see cref="ToString"/> never shows the password.</remarks>
public sealed class RegisterRequest
{
    /// <summary>The new user's email address.</summary>
    public required string Email { get; set; }

    /// <summary>The new user's password (the server sets the rules; at least 8 characters on the hosted service).</summary>
    public required string Password { get; set; }

    /// <summary>The new user's first name.</summary>
    public required string FirstName { get; set; }

    /// <summary>The new user's last name.</summary>
    public required string LastName { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/> is used. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"RegisterRequest {{ Email = {Email}, Password = ***, FirstName = {FirstName}, LastName = {LastName}, ProjectId = {ProjectId} }}";
}

/// <summary>What <see cref="IMudbaseAuth.LoginAsync"/> sends.</summary>
/// <remarks><see cref="ToString"/> never shows the password.</remarks>
public sealed class LoginRequest
{
    /// <summary>The user's email address.</summary>
    public required string Email { get; set; }

    /// <summary>The user's password.</summary>
    public required string Password { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/> is used. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"LoginRequest {{ Email = {Email}, Password = ***, ProjectId = {ProjectId} }}";
}

/// <summary>What <see cref="IMudbaseAuth.RegisterWithRoleAsync"/> sends: a registration that accepts the terms.</summary>
/// <remarks><see cref="ToString"/> never shows the password.</remarks>
public sealed class RegisterWithRoleRequest
{
    /// <summary>The new user's email address.</summary>
    public required string Email { get; set; }

    /// <summary>The new user's password.</summary>
    public required string Password { get; set; }

    /// <summary>The new user's first name.</summary>
    public required string FirstName { get; set; }

    /// <summary>The new user's last name.</summary>
    public required string LastName { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/> is used. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <summary>Whether the user agreed to the project's terms; the server requires true.</summary>
    public bool AgreedToTerms { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"RegisterWithRoleRequest {{ Email = {Email}, Password = ***, FirstName = {FirstName}, LastName = {LastName}, ProjectId = {ProjectId}, AgreedToTerms = {AgreedToTerms} }}";
}

/// <summary>What <see cref="IMudbaseAuth.ConvertAnonymousAsync"/> sends: the account a guest becomes.</summary>
/// <remarks><see cref="ToString"/> never shows the password.</remarks>
public sealed class ConvertAnonymousRequest
{
    /// <summary>The account's email address.</summary>
    public required string Email { get; set; }

    /// <summary>The account's password.</summary>
    public required string Password { get; set; }

    /// <summary>The first name, if known.</summary>
    public string? FirstName { get; set; }

    /// <summary>The last name, if known.</summary>
    public string? LastName { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"ConvertAnonymousRequest {{ Email = {Email}, Password = ***, FirstName = {FirstName}, LastName = {LastName} }}";
}

/// <summary>What <see cref="IMudbaseAuth.ConfirmPasswordResetAsync"/> sends: the emailed code and the new password.</summary>
/// <remarks><see cref="ToString"/> never shows the code or the password.</remarks>
public sealed class ConfirmPasswordResetRequest
{
    /// <summary>The user's email address.</summary>
    public required string Email { get; set; }

    /// <summary>The 6-digit code from the email.</summary>
    public required string Otp { get; set; }

    /// <summary>The new password.</summary>
    public required string NewPassword { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/> is used. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"ConfirmPasswordResetRequest {{ Email = {Email}, Otp = ***, NewPassword = ***, ProjectId = {ProjectId} }}";
}

/// <summary>Where a one-time sign-in code is sent.</summary>
public enum OtpChannel
{
    /// <summary>By email.</summary>
    Email,

    /// <summary>By SMS to a phone number.</summary>
    Sms,
}
