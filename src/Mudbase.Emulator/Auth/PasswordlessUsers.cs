using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// The users of sign-ins without a password (magic link, OTP, OAuth): an existing user of the
/// project, or a new one, since these sign-ins double as sign-up. A new user has no password and
/// no names, as nothing in these flows supplies them.
/// </summary>
internal sealed class PasswordlessUsers(EmulatorStore store, ObjectIdGenerator ids, TimeProvider timeProvider)
{
    /// <summary>The user with this email, its email now verified: the sign-in proved it.</summary>
    public UserAccount ForVerifiedEmail(string projectId, string email, string firstName = "", string lastName = "") =>
        store.GetOrAddVerifiedUser(projectId, email, () => new UserAccount
        {
            Id = ids.Next(),
            ProjectId = projectId,
            Email = email,
            FirstName = firstName,
            LastName = lastName,
            EmailVerified = true,
            CreatedAt = timeProvider.GetUtcNow(),
        }).User;

    /// <summary>
    /// The user with this phone number (E.164, as <see cref="BodyFields.RequiredPhone"/> checks). A
    /// new one gets a placeholder email made from the digits, as guests get one: every user has an
    /// email, and a <c>.local</c> address can never be registered or signed in with.
    /// </summary>
    public UserAccount ForPhone(string projectId, string phone) =>
        store.GetOrAddPhoneUser(projectId, phone, () => new UserAccount
        {
            Id = ids.Next(),
            ProjectId = projectId,
            Email = $"phone_{phone.TrimStart('+')}@phone.local",
            FirstName = "",
            LastName = "",
            EmailVerified = false,
            Phone = phone,
            CreatedAt = timeProvider.GetUtcNow(),
        }).User;
}
