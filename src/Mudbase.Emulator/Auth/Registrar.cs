using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>The messages of both registration answers.</summary>
internal static class RegistrationMessages
{
    public const string Pending = "Check your email to verify your account";

    public const string SignedIn = "Registration successful";
}

/// <summary>A new user, and its tokens when the project let it sign in at once.</summary>
internal sealed record Registration(UserAccount User, TokenSet? Tokens);

/// <summary>
/// What registering does, with or without a role: create the user, then either send a
/// verification email (the project requires verification, the default) or start a session.
/// </summary>
internal sealed class Registrar(EmulatorStore store, ObjectIdGenerator ids, SessionIssuer sessions, EmailVerificationMailer mailer, TimeProvider timeProvider)
{
    /// <returns>The registration, or <see langword="null"/> when the project already has a user with that email.</returns>
    public Registration? Register(Project project, RegisterRequest request, string? customRole = null)
    {
        var user = new UserAccount
        {
            Id = ids.Next(),
            ProjectId = project.Id,
            Email = request.Email.ToLowerInvariant(),
            FirstName = request.FirstName,
            LastName = request.LastName,
            PasswordHash = PasswordHasher.Hash(request.Password),
            EmailVerified = !project.RequireEmailVerification,
            CustomRole = customRole,
            CreatedAt = timeProvider.GetUtcNow(),
        };
        if (!store.TryAddUser(user))
        {
            store.Count(static counts => counts with { DuplicateRegistrations = counts.DuplicateRegistrations + 1 });
            return null;
        }

        if (project.RequireEmailVerification)
        {
            mailer.Send(user);
            return new Registration(user, Tokens: null);
        }

        return new Registration(user, sessions.StartSession(user));
    }
}
