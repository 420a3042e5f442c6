using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.DependencyInjection;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Serialization;
using Mudbase.Storage;
using Refit;

namespace Mudbase.Tests.Conventions;

/// <summary>
/// The public API's conventions, checked by reflection over Mudbase.Client. Each test names every offender in its
/// failure message; the "…_reports_…" tests run the same checks over types made to break them, so none passes vacuously.
/// </summary>
public sealed class ApiConventionTests
{
    private static readonly Assembly Sdk = typeof(MudbaseClient).Assembly;

    /// <summary>The models the brief names; the discovery must find at least these.</summary>
    private static readonly Type[] KnownResponseModels =
    [
        typeof(AuthSession), typeof(MudbaseUser), typeof(MudbaseRole), typeof(OAuthProviderInfo),
        typeof(SessionInfo), typeof(RegisterResult), typeof(RateLimitInfo),
        typeof(CollectionSchema), typeof(SchemaField), typeof(CollectionPermission),
        typeof(StoredFile), typeof(StorageBucket), typeof(SignedUrl), typeof(BucketPage), typeof(FilePage),
    ];

    [Fact]
    public void Public_async_methods_take_a_cancellation_token_last()
    {
        var offenders = AsyncMethodsWithoutTrailingCancellationToken(Sdk.GetExportedTypes());

        Assert.True(offenders.Count == 0, Describe("public async methods whose last parameter is not a CancellationToken", offenders));
    }

    [Fact]
    public void Public_types_live_in_the_Mudbase_namespace()
    {
        var offenders = TypesOutsideTheMudbaseNamespace(Sdk.GetExportedTypes());

        Assert.True(offenders.Count == 0, Describe("public types outside Mudbase and Mudbase.* (DI extensions aside)", offenders));
    }

    [Fact]
    public void Response_models_have_no_public_setters()
    {
        var models = ResponseModels();
        var missed = KnownResponseModels.Where(known => !models.Contains(known)).Select(type => type.FullName!).ToList();
        Assert.True(missed.Count == 0, Describe("response models the discovery missed", missed));

        var offenders = PublicSetters(models);

        Assert.True(offenders.Count == 0, Describe("response models with public setters (init included); make them get-only or internal set", offenders));
    }

    [Fact]
    public void Every_wire_model_is_registered_in_the_json_context()
    {
        var wireModels = WireModels(typeof(IAuthApi));
        Assert.True(wireModels.Count >= 10, Describe("too few wire models found on IAuthApi (is [Body] still Refit's?)", wireModels.Select(type => type.FullName!).ToList()));
        wireModels.UnionWith(WireModels(typeof(ICollectionsApi)));
        wireModels.UnionWith(WireModels(typeof(Mudbase.Functions.IFunctionsApi)));
        wireModels.UnionWith(WireModels(typeof(IStorageApi)));

        var offenders = Unregistered(wireModels, type => MudbaseJsonContext.Default.GetTypeInfo(type) is not null);

        Assert.True(offenders.Count == 0, Describe("types the Refit interfaces send or receive that MudbaseJsonContext has no JsonTypeInfo for (add [JsonSerializable(typeof(…))])", offenders));
    }

    // The checks, over types made to break them.

    [Fact]
    public void The_cancellation_token_check_reports_offenders()
    {
        var offenders = AsyncMethodsWithoutTrailingCancellationToken([typeof(IBadAsyncApi)]);

        Assert.Equal(
            new[] { $"{typeof(IBadAsyncApi).FullName}.{nameof(IBadAsyncApi.NoTokenAsync)}", $"{typeof(IBadAsyncApi).FullName}.{nameof(IBadAsyncApi.TokenFirstAsync)}" },
            offenders);
    }

    [Fact]
    public void The_namespace_check_reports_offenders()
    {
        var offenders = TypesOutsideTheMudbaseNamespace(
            [typeof(MudbaseClient), typeof(MudbaseServiceCollectionExtensions), typeof(ServiceCollection), typeof(Assert)]);

        Assert.Equal(new[] { typeof(ServiceCollection).FullName!, typeof(Assert).FullName! }, offenders);
    }

    [Fact]
    public void The_setter_check_reports_offenders()
    {
        var offenders = PublicSetters([typeof(SettableModel), typeof(AuthSession)]);

        Assert.Equal(
            new[]
            {
                $"{typeof(SettableModel).FullName}.{nameof(SettableModel.Count)} (init)",
                $"{typeof(SettableModel).FullName}.{nameof(SettableModel.Field)} (field)",
                $"{typeof(SettableModel).FullName}.{nameof(SettableModel.Name)} (set)",
            },
            offenders);
    }

    [Fact]
    public void The_json_context_check_reports_offenders()
    {
        var wireModels = WireModels(typeof(IUnregisteredApi));

        Assert.Equal(new[] { typeof(AuthSession), typeof(Uri), typeof(Version) }, wireModels.OrderBy(type => type.FullName, StringComparer.Ordinal));
        Assert.Equal(
            new[] { typeof(Uri).FullName!, typeof(Version).FullName! },
            Unregistered(wireModels, type => MudbaseJsonContext.Default.GetTypeInfo(type) is not null));
    }

    private static List<string> AsyncMethodsWithoutTrailingCancellationToken(IEnumerable<Type> types) =>
        types
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(method => !method.IsSpecialName && IsAwaitable(method.ReturnType) && !SignatureIsFixedElsewhere(type, method))
                .Where(method => method.GetParameters() is not [.., { ParameterType: var last }] || last != typeof(CancellationToken))
                .Select(method => $"{type.FullName}.{method.Name}"))
            .Distinct()
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsAwaitable(Type type) =>
        type == typeof(Task) || type == typeof(ValueTask)
        || (type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(Task<>) || definition == typeof(ValueTask<>)));

    /// <summary>An override or an implementation of another library's interface (such as IAsyncDisposable.DisposeAsync) keeps that signature.</summary>
    private static bool SignatureIsFixedElsewhere(Type type, MethodInfo method)
    {
        if (method.GetBaseDefinition().DeclaringType is { } declaring && declaring != type && declaring.Assembly != type.Assembly)
        {
            return true;
        }

        return !type.IsInterface && type.GetInterfaces()
            .Where(contract => contract.Assembly != type.Assembly)
            .Any(contract => type.GetInterfaceMap(contract).TargetMethods.Contains(method));
    }

    private static List<string> TypesOutsideTheMudbaseNamespace(IEnumerable<Type> types) =>
        types
            .Where(type => !IsInMudbaseNamespace(type) && !IsDependencyInjectionExtensions(type))
            .Select(type => type.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsInMudbaseNamespace(Type type) =>
        type.Namespace is { } name && (name == "Mudbase" || name.StartsWith("Mudbase.", StringComparison.Ordinal));

    /// <summary>Extension methods on IServiceCollection live where IServiceCollection does, so that they need no using.</summary>
    private static bool IsDependencyInjectionExtensions(Type type) =>
        type.Namespace == "Microsoft.Extensions.DependencyInjection"
        && type is { IsAbstract: true, IsSealed: true }
        && type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly)
            .All(method => method.IsDefined(typeof(ExtensionAttribute)) && method.GetParameters()[0].ParameterType == typeof(IServiceCollection));

    /// <summary>
    /// The SDK's types that IMudbaseAuth returns, and those the exceptions carry from an answer (RateLimitInfo), with
    /// the types of their public properties in turn; requests, options and exceptions are not response models.
    /// </summary>
    private static HashSet<Type> ResponseModels()
    {
        var roots = typeof(IMudbaseAuth).GetMethods().Select(method => method.ReturnType)
            .Concat(typeof(IMudbaseAuth).GetProperties().Select(property => property.PropertyType))
            .Concat(typeof(IMudbaseCollections).GetMethods().Select(method => method.ReturnType))
            .Concat(typeof(Mudbase.Functions.IMudbaseFunctions).GetMethods().Select(method => method.ReturnType))
            .Concat(typeof(IMudbaseStorage).GetMethods().Concat(typeof(BucketFiles).GetMethods()).Select(method => method.ReturnType))
            .Concat(Sdk.GetExportedTypes().Where(type => typeof(Exception).IsAssignableFrom(type))
                .SelectMany(exception => exception.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Select(property => property.PropertyType));
        var models = new HashSet<Type>();
        var pending = new Queue<Type>(roots);
        while (pending.TryDequeue(out var type))
        {
            foreach (var candidate in Unwrap(type))
            {
                if (candidate.Assembly == Sdk && candidate.IsClass && !IsNotAResponseModel(candidate) && models.Add(candidate))
                {
                    foreach (var property in candidate.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    {
                        pending.Enqueue(property.PropertyType);
                    }
                }
            }
        }

        return models;
    }

    private static bool IsNotAResponseModel(Type type) =>
        type.Name.EndsWith("Request", StringComparison.Ordinal)
        || type.Name.EndsWith("Options", StringComparison.Ordinal)
        || typeof(Exception).IsAssignableFrom(type);

    /// <summary>The type itself and, for Task&lt;T&gt;, T?, arrays and generic collections, the types inside.</summary>
    private static IEnumerable<Type> Unwrap(Type type)
    {
        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Unwrap(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Unwrap))
            {
                yield return inner;
            }
        }
    }

    private static List<string> PublicSetters(IEnumerable<Type> models) =>
        models
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                .Where(property => property.SetMethod is { IsPublic: true })
                .Select(property => $"{type.FullName}.{property.Name} ({(IsInit(property.SetMethod!) ? "init" : "set")})")
                .Concat(type.GetFields(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
                    .Where(field => !field.IsInitOnly && !field.IsLiteral)
                    .Select(field => $"{type.FullName}.{field.Name} (field)")))
            .Order(StringComparer.Ordinal)
            .ToList();

    private static bool IsInit(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));

    /// <summary>
    /// The types of a Refit interface's [Body] parameters and the T of its Task&lt;T&gt; returns; raw HTTP (an
    /// HttpContent body, an HttpResponseMessage answer) is not serialized, so it is no wire model.
    /// </summary>
    private static HashSet<Type> WireModels(Type refitInterface)
    {
        var types = new HashSet<Type>();
        foreach (var method in refitInterface.GetMethods())
        {
            foreach (var parameter in method.GetParameters().Where(parameter => parameter.IsDefined(typeof(BodyAttribute), inherit: false)))
            {
                types.Add(parameter.ParameterType);
            }

            if (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>))
            {
                types.Add(method.ReturnType.GetGenericArguments()[0]);
            }
        }

        types.ExceptWith([typeof(HttpContent), typeof(HttpResponseMessage)]);
        return types;
    }

    private static List<string> Unregistered(IEnumerable<Type> types, Func<Type, bool> isRegistered) =>
        types.Where(type => !isRegistered(type)).Select(type => type.FullName!).Order(StringComparer.Ordinal).ToList();

    private static string Describe(string what, List<string> offenders) =>
        $"{offenders.Count} {what}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", offenders)}";

    // Types that break the conventions, for the checks above to find.

    internal interface IBadAsyncApi
    {
#pragma warning disable CA1068 // The offence this type is here to show.
        Task TokenFirstAsync(CancellationToken cancellationToken, int count);
#pragma warning restore CA1068

        ValueTask<int> NoTokenAsync();

        Task<int> GoodAsync(int count, CancellationToken cancellationToken);

        Task GoodWithDefaultAsync(CancellationToken cancellationToken = default);
    }

    internal abstract class SettableModel
    {
#pragma warning disable CS0649 // Never assigned: only its being settable matters.
        public string? Field;
#pragma warning restore CS0649

        public string? Name { get; set; }

        public int Count { get; init; }

        public string? ReadOnly { get; private set; }

        public string? Internal { get; internal set; }
    }

    internal interface IUnregisteredApi
    {
        Task<Version> SendAsync([Body] Uri body, CancellationToken cancellationToken);

        Task<AuthSession> RegisteredAsync(CancellationToken cancellationToken);
    }
}
