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
