using System.Collections;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Data;

/// <summary>
/// Turns a predicate such as <c>t =&gt; t.Priority &gt; 2 &amp;&amp; !t.Done</c> into a <see cref="Filter"/> by walking its
/// expression tree. Nothing is compiled and no delegate is invoked: a captured variable's value is read with
/// <see cref="FieldInfo.GetValue"/> or <see cref="PropertyInfo.GetValue(object)"/> on the closure, members the tree
/// itself references, so trimming keeps them. Field names come from the <see cref="JsonTypeInfo"/>
/// (<c>[JsonPropertyName]</c> and naming policies apply); values are written through the property's own JSON
/// metadata (its converters apply), except dates, which are written as <see cref="Filter"/> writes them.
/// </summary>
/// <remarks>
/// Supported: <c>== != &lt; &lt;= &gt; &gt;=</c> between a member and a value, either way round; <c>&amp;&amp; || !</c>
/// (negation is pushed down to the conditions: <c>!(a &gt; b)</c> is <c>a &lt;= b</c>, De Morgan for <c>&amp;&amp;</c> and
/// <c>||</c>); a bool member alone (<c>t.Done</c> is <c>done == true</c>, <c>!t.Done</c> is <c>done == false</c>);
/// <c>== null</c> and <c>!= null</c>; nested members as dotted paths; <c>Nullable&lt;T&gt;.Value</c> (the member
/// itself) and <c>.HasValue</c> (<c>$ne null</c>; negated, <c>== null</c>); <c>collection.Contains(t.Member)</c>
/// (<c>$in</c>; negated, <c>$nin</c>); <c>t.Member.Equals(value)</c>. Values are constants, captured variables,
/// fields and properties of those, static fields and properties, array items and inline array or list initializers.
/// Everything else (method calls such as <c>ToLower()</c>, arithmetic, comparing two members, calling methods or
/// constructors to make a value) throws <see cref="NotSupportedException"/> naming the part; compute such values
/// into a local variable before the query.
/// <para>
/// Negating an ordering follows C#, not the server's treatment of missing fields: <c>!(t.P &gt; 2)</c> becomes
/// <c>{"p":{"$lte":2}}</c>, which does not match documents without <c>p</c>.
/// </para>
/// </remarks>
internal static class FilterExpression
{
    /// <summary>What an always-false predicate becomes: no document has an <c>_id</c> in an empty list.</summary>
    private static readonly JsonObject MatchNothingJson = new() { ["_id"] = new JsonObject { ["$in"] = new JsonArray() } };

    /// <summary>Options with a property's own converter in front, made once per converter.</summary>
    private static readonly ConditionalWeakTable<JsonConverter, JsonSerializerOptions> ConverterOptions = new();

    public static Filter Translate<T>(Expression<Func<T, bool>> predicate, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(typeInfo);

        var translator = new Translator(predicate.Parameters[0], typeInfo);
        var part = translator.Condition(predicate.Body, negate: false);
        return part.Filter ?? (part.Constant ? Filter.Empty : Filter.FromTrustedRoot((JsonObject)MatchNothingJson.DeepClone()));
    }

    /// <summary>A translated condition, or a condition known to be always true or always false.</summary>
    private readonly struct Part
    {
        private Part(Filter? filter, bool constant)
        {
            Filter = filter;
            Constant = constant;
        }

        public Filter? Filter { get; }

        public bool Constant { get; }

        public static Part Of(Filter filter) => new(filter, constant: false);

        public static Part Always(bool value) => new(null, value);

        public static Part And(Part left, Part right) =>
            left.Filter is null ? (left.Constant ? right : left)
            : right.Filter is null ? (right.Constant ? left : right)
            : Of(Data.Filter.And(left.Filter, right.Filter));

        public static Part Or(Part left, Part right) =>
            left.Filter is null ? (left.Constant ? left : right)
            : right.Filter is null ? (right.Constant ? right : left)
            : Of(Data.Filter.Or(left.Filter, right.Filter));
    }

    /// <summary>A member path resolved to its JSON name and its leaf property.</summary>
    private sealed class FieldPath(string name, JsonPropertyInfo leaf)
    {
        public string Name { get; } = name;

        public JsonPropertyInfo Leaf { get; } = leaf;
    }

    private sealed class Translator(ParameterExpression parameter, JsonTypeInfo root)
    {
        public Part Condition(Expression node, bool negate)
        {
            switch (node.NodeType)
            {
                case ExpressionType.AndAlso:
                case ExpressionType.And when node.Type == typeof(bool):
                {
                    var binary = (BinaryExpression)node;
                    var left = Condition(binary.Left, negate);
                    var right = Condition(binary.Right, negate);
                    return negate ? Part.Or(left, right) : Part.And(left, right);
                }

                case ExpressionType.OrElse:
                case ExpressionType.Or when node.Type == typeof(bool):
                {
                    var binary = (BinaryExpression)node;
                    var left = Condition(binary.Left, negate);
                    var right = Condition(binary.Right, negate);
                    return negate ? Part.And(left, right) : Part.Or(left, right);
                }

                case ExpressionType.Not when node.Type == typeof(bool):
                    return Condition(((UnaryExpression)node).Operand, !negate);

                case ExpressionType.Equal:
                case ExpressionType.NotEqual:
                case ExpressionType.LessThan:
                case ExpressionType.LessThanOrEqual:
                case ExpressionType.GreaterThan:
                case ExpressionType.GreaterThanOrEqual:
                    return Comparison((BinaryExpression)node, negate);

                case ExpressionType.Call when DependsOnParameter(node):
                    return Call((MethodCallExpression)node, negate);

                case ExpressionType.MemberAccess when node is MemberExpression { Member.Name: "HasValue" } member
                    && member.Expression is { } nullable && Nullable.GetUnderlyingType(nullable.Type) is not null
                    && DependsOnParameter(nullable):
                {
                    var path = Path(nullable, node);
                    return Part.Of(negate ? Filter.Eq(path.Name, (JsonNode?)null) : Filter.Ne(path.Name, (JsonNode?)null));
                }
            }

            if (!DependsOnParameter(node))
            {
                return Part.Always(Evaluate(node) is true != negate);
            }

            if (node.Type == typeof(bool) || node.Type == typeof(bool?))
            {
                // A bool member on its own: t.Done means done == true.
                var path = Path(node, node);
                return Part.Of(Filter.Eq(path.Name, !negate));
            }

            throw Unsupported(node, "it is not a condition a filter can express");
        }

        private Part Comparison(BinaryExpression node, bool negate)
        {
            var op = negate ? Negate(node.NodeType) : node.NodeType;
            var leftDepends = DependsOnParameter(node.Left);
            var rightDepends = DependsOnParameter(node.Right);
            if (!leftDepends && !rightDepends)
            {
                return Part.Always(Compare(node, op, Evaluate(node.Left), Evaluate(node.Right)));
            }

            if (leftDepends && rightDepends)
            {
                throw Unsupported(node, "it compares two members of the document; a filter compares a member with a value");
            }

            var member = leftDepends ? node.Left : node.Right;
            var valueNode = leftDepends ? node.Right : node.Left;
            if (!leftDepends)
            {
                op = Flip(op);
            }

            var path = Path(member, member);
            var value = Json(Evaluate(valueNode), path, valueNode);
            return Part.Of(op switch
            {
                ExpressionType.Equal => Filter.Eq(path.Name, value),
                ExpressionType.NotEqual => Filter.Ne(path.Name, value),
                ExpressionType.LessThan => Filter.Lt(path.Name, value),
                ExpressionType.LessThanOrEqual => Filter.Lte(path.Name, value),
                ExpressionType.GreaterThan => Filter.Gt(path.Name, value),
                _ => Filter.Gte(path.Name, value),
            });
        }

        private Part Call(MethodCallExpression node, bool negate)
        {
            var method = node.Method;
            var args = node.Arguments;
            if (method.Name == "Contains" && method.ReturnType == typeof(bool))
            {
                Expression? source = null;
                Expression? item = null;
                if (node.Object is null && (args.Count == 2 || (args.Count == 3 && args[2] is ConstantExpression { Value: null })))
                {
                    // Enumerable.Contains(source, item), and MemoryExtensions.Contains(span, item[, null comparer]),
                    // which C# 14 picks for array.Contains(item) through an implicit conversion to a span.
                    (source, item) = (args[0], args[1]);
                }
                else if (node.Object is not null && node.Object.Type != typeof(string) && args.Count == 1)
                {
                    (source, item) = (node.Object, args[0]);
                }

                if (source is not null && item is not null && !DependsOnParameter(source) && DependsOnParameter(item))
                {
                    var path = Path(item, item);
                    var values = new JsonArray();
                    foreach (var value in Sequence(source))
                    {
                        values.Add(Json(value, path, source));
                    }

                    return Part.Of(negate ? Filter.NotIn(path.Name, values) : Filter.In(path.Name, values));
                }
            }

            if (method.Name == "Equals" && method.ReturnType == typeof(bool))
            {
                var (left, right) = node.Object is not null && args.Count == 1 ? (node.Object, args[0])
                    : node.Object is null && args.Count == 2 ? (args[0], args[1])
                    : (null, null);
                if (left is not null && right is not null)
                {
                    return Comparison(Expression.MakeBinary(ExpressionType.Equal, Unbox(left), Unbox(right), liftToNull: false, method: null), negate);
                }
            }

            throw Unsupported(node, "a filter cannot call methods on the document's members");
        }

        /// <summary>Equals(object) boxes its argument; the comparison wants the value's own type.</summary>
        private static Expression Unbox(Expression node) =>
            node is UnaryExpression { NodeType: ExpressionType.Convert } convert && convert.Type == typeof(object) ? convert.Operand : node;

        // Members

        /// <summary>
        /// The JSON path of <c>t.A.B</c>: each member mapped to its <see cref="JsonPropertyInfo"/>, nested types through
        /// the options' resolver. Conversions around the member (enum to number, to nullable) and <c>.Value</c> are
        /// looked through.
        /// </summary>
        private FieldPath Path(Expression node, Expression whole)
        {
            var members = new List<MemberInfo>();
            var current = StripConversions(node);
            while (true)
            {
                current = StripConversions(current);
                if (current == parameter)
                {
                    break;
                }

                if (current is not MemberExpression { Expression: not null } member)
                {
                    throw Unsupported(whole, "a filter can only test the document's own members (t.Member or t.Member.Nested)");
                }

                if (!(member.Member.Name == "Value" && Nullable.GetUnderlyingType(member.Expression.Type) is not null))
                {
                    members.Add(member.Member);
                }

                current = member.Expression;
            }

            if (members.Count == 0)
            {
                throw Unsupported(whole, "a filter tests the document's members, not the document itself");
            }

            members.Reverse();
            var typeInfo = root;
            var names = new List<string>(members.Count);
            JsonPropertyInfo? property = null;
            for (var i = 0; i < members.Count; i++)
            {
                if (i > 0)
                {
                    var type = Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType;
                    typeInfo = TypeInfo(type, members[i - 1], whole);
                }

                if (typeInfo.Kind != JsonTypeInfoKind.Object)
                {
                    throw Unsupported(whole, $"{(i == 0 ? "the document" : members[i - 1].Name)} is not a JSON object, so it has no member {members[i].Name} to filter on");
                }

                // A [JsonIgnore]d member is listed too, but neither read nor written.
                var found = Find(typeInfo, members[i]);
                if (found is null || (found.Get is null && found.Set is null))
                {
                    throw Unsupported(whole, $"{members[i].Name} has no JSON property (is it [JsonIgnore]d, or missing from the JSON metadata?)");
                }

                property = found;
                names.Add(property.Name);
            }

            return new FieldPath(string.Join(".", names), property!);
        }

        private static Expression StripConversions(Expression node)
        {
            while (node is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked or ExpressionType.TypeAs } unary)
            {
                node = unary.Operand;
            }

            return node;
        }

        private static JsonPropertyInfo? Find(JsonTypeInfo typeInfo, MemberInfo member)
        {
            var withProvider = false;
            foreach (var property in typeInfo.Properties)
            {
                if (property.AttributeProvider is MemberInfo candidate)
                {
                    withProvider = true;
                    // By name and declaring type: metadata tokens do not exist under Native AOT (MetadataToken throws there).
                    if (candidate.Equals(member) || (string.Equals(candidate.Name, member.Name, StringComparison.Ordinal) && candidate.DeclaringType == member.DeclaringType))
                    {
                        return property;
                    }
                }
            }

            if (withProvider)
            {
                return null;
            }

            // A resolver that gives no member: fall back to the naming policy (a [JsonPropertyName] is not seen then).
            var name = typeInfo.Options.PropertyNamingPolicy?.ConvertName(member.Name) ?? member.Name;
            return typeInfo.Properties.FirstOrDefault(property => string.Equals(property.Name, name, StringComparison.Ordinal));
        }

        private JsonTypeInfo TypeInfo(Type type, MemberInfo member, Expression whole)
        {
            try
            {
                return root.Options.GetTypeInfo(type);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException)
            {
                throw new NotSupportedException(
                    $"Cannot translate {whole} into a Mudbase filter: there is no JSON metadata for {type.Name} (the type of {member.Name}); add [JsonSerializable(typeof({type.Name}))] to your JsonSerializerContext.",
                    ex);
            }
        }

        // Values

        /// <summary>
        /// A value as the member's JSON would hold it: through the property's metadata and converters (an enum as the
        /// context writes it), dates as <see cref="Filter"/> writes them, other numbers as plain JSON numbers.
        /// </summary>
        private JsonNode? Json(object? value, FieldPath path, Expression source)
        {
            if (value is null)
            {
                return null;
            }

            var leaf = path.Leaf;
            var type = Nullable.GetUnderlyingType(leaf.PropertyType) ?? leaf.PropertyType;
            if (type.IsEnum && value is not Enum && IsInteger(value))
            {
                value = Enum.ToObject(type, value);
            }

            if (leaf.CustomConverter is null)
            {
                switch (value)
                {
                    case DateTimeOffset date:
                        return FilterJson.Value(date);
                    case DateTime date:
                        return FilterJson.Value(new DateTimeOffset(date));
                }
            }

            if (type.IsInstanceOfType(value))
            {
                var typeInfo = leaf.CustomConverter is null ? TypeInfo(type, leaf.AttributeProvider as MemberInfo ?? type, source) : ConverterTypeInfo(leaf.CustomConverter, type, source);
                try
                {
                    return JsonSerializer.SerializeToNode(value, typeInfo);
                }
                catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidOperationException)
                {
                    throw new NotSupportedException($"Cannot translate {source} into a Mudbase filter: its value cannot be written as JSON ({ex.Message}).", ex);
                }
            }

            return Primitive(value is Enum ? System.Convert.ChangeType(value, Enum.GetUnderlyingType(value.GetType()), CultureInfo.InvariantCulture) : value)
                ?? throw Unsupported(source, $"its value, a {value.GetType().Name}, does not fit {path.Name} (a {type.Name})");
        }

        private JsonTypeInfo ConverterTypeInfo(JsonConverter converter, Type type, Expression source)
        {
            var options = ConverterOptions.GetValue(converter, key =>
            {
                var copy = new JsonSerializerOptions(root.Options);
                copy.Converters.Insert(0, key);
                return copy;
            });
            try
            {
                return options.GetTypeInfo(type);
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException)
            {
                throw new NotSupportedException($"Cannot translate {source} into a Mudbase filter: its member's converter cannot write a {type.Name} ({ex.Message}).", ex);
            }
        }

        private static bool IsInteger(object value) =>
            value is int or long or short or byte or sbyte or uint or ulong or ushort;

        private static JsonNode? Primitive(object value) => value switch
        {
            string text => JsonValue.Create(text),
            bool flag => JsonValue.Create(flag),
            int number => JsonValue.Create(number),
            long number => JsonValue.Create(number),
            short number => JsonValue.Create(number),
            byte number => JsonValue.Create(number),
            sbyte number => JsonValue.Create(number),
            ushort number => JsonValue.Create(number),
            uint number => JsonValue.Create(number),
            ulong number => JsonValue.Create(number),
            decimal number => JsonValue.Create(number),
            double number => FilterJson.Value(number, nameof(value)),
            float number => FilterJson.Value(number, nameof(value)),
            char character => JsonValue.Create(character.ToString()),
            _ => null,
        };

        /// <summary>Reads a value the predicate captured. Only fields, properties, conversions and array items: no calls.</summary>
        private static object? Evaluate(Expression node)
        {
            switch (node)
            {
                case ConstantExpression constant:
                    return constant.Value;

                case MemberExpression member:
                {
                    var target = member.Expression is null ? null : Evaluate(member.Expression);
                    if (target is null && member.Expression is not null)
                    {
                        throw new InvalidOperationException($"Cannot read {node} for a Mudbase filter: {member.Expression} is null.");
                    }

                    return member.Member switch
                    {
                        FieldInfo field => field.GetValue(target),
                        PropertyInfo property => property.GetValue(target),
                        _ => throw Unsupported(node, "only fields and properties can be read"),
                    };
                }

                case UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert:
                    return ConvertValue(Evaluate(convert.Operand), convert.Type);

                case BinaryExpression { NodeType: ExpressionType.ArrayIndex } index:
                    return ((Array)Evaluate(index.Left)!).GetValue(System.Convert.ToInt64(Evaluate(index.Right), CultureInfo.InvariantCulture));

                default:
                    throw Unsupported(node, "a filter's values must be constants or captured variables (no method calls, constructors or arithmetic); compute the value into a local variable before the query");
            }
        }

        private static object? ConvertValue(object? value, Type type)
        {
            if (value is null)
            {
                return null;
            }

            var target = Nullable.GetUnderlyingType(type) ?? type;
            if (target.IsInstanceOfType(value))
            {
                return value;
            }

            if (target.IsEnum && IsInteger(value))
            {
                return Enum.ToObject(target, value);
            }

            return value is IConvertible && (target.IsPrimitive || target == typeof(decimal))
                ? System.Convert.ChangeType(value, target, CultureInfo.InvariantCulture)
                : value;
        }

        /// <summary>The items of a captured collection, or of an inline array or list initializer.</summary>
        private static List<object?> Sequence(Expression source)
        {
            // array.Contains(x) under C# 14 reads MemoryExtensions.Contains(op_Implicit(array), x).
            while (true)
            {
                if (source is MethodCallExpression { Method.Name: "op_Implicit", Arguments.Count: 1 } implicitConversion)
                {
                    source = implicitConversion.Arguments[0];
                }
                else if (source is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } convert)
                {
                    source = convert.Operand;
                }
                else
                {
                    break;
                }
            }

            switch (source)
            {
                case NewArrayExpression { NodeType: ExpressionType.NewArrayInit } array:
                    return array.Expressions.Select(Evaluate).ToList();
                case ListInitExpression list when list.Initializers.All(initializer => initializer.Arguments.Count == 1):
                    return list.Initializers.Select(initializer => Evaluate(initializer.Arguments[0])).ToList();
            }

            var collection = Evaluate(source);
            return collection switch
            {
                null => throw new InvalidOperationException($"Cannot read {source} for a Mudbase filter: the collection is null."),
                IEnumerable items and not string => items.Cast<object?>().ToList(),
                _ => throw Unsupported(source, "Contains needs a collection"),
            };
        }

        private static bool Compare(BinaryExpression node, ExpressionType op, object? left, object? right)
        {
            if (op is ExpressionType.Equal or ExpressionType.NotEqual)
            {
                return Equals(left, right) == (op == ExpressionType.Equal);
            }

            if (left is IComparable comparable && right is not null && left.GetType() == right.GetType())
            {
                var order = comparable.CompareTo(right);
                return op switch
                {
                    ExpressionType.LessThan => order < 0,
                    ExpressionType.LessThanOrEqual => order <= 0,
                    ExpressionType.GreaterThan => order > 0,
                    _ => order >= 0,
                };
            }

            throw Unsupported(node, "it compares two values that are not members of the document and cannot be ordered here");
        }

        // Operators

        private static ExpressionType Negate(ExpressionType op) => op switch
        {
            ExpressionType.Equal => ExpressionType.NotEqual,
            ExpressionType.NotEqual => ExpressionType.Equal,
            ExpressionType.LessThan => ExpressionType.GreaterThanOrEqual,
            ExpressionType.LessThanOrEqual => ExpressionType.GreaterThan,
            ExpressionType.GreaterThan => ExpressionType.LessThanOrEqual,
            _ => ExpressionType.LessThan,
        };

        /// <summary>The operator with its operands swapped: <c>2 &lt; t.P</c> is <c>t.P &gt; 2</c>.</summary>
        private static ExpressionType Flip(ExpressionType op) => op switch
        {
            ExpressionType.LessThan => ExpressionType.GreaterThan,
            ExpressionType.LessThanOrEqual => ExpressionType.GreaterThanOrEqual,
            ExpressionType.GreaterThan => ExpressionType.LessThan,
            ExpressionType.GreaterThanOrEqual => ExpressionType.LessThanOrEqual,
            _ => op,
        };

        private bool DependsOnParameter(Expression node)
        {
            var finder = new ParameterFinder(parameter);
            finder.Visit(node);
            return finder.Found;
        }

        private static NotSupportedException Unsupported(Expression part, string reason) =>
            new($"Cannot translate {part} into a Mudbase filter: {reason}.");
    }

    private sealed class ParameterFinder(ParameterExpression parameter) : ExpressionVisitor
    {
        public bool Found { get; private set; }

        public override Expression? Visit(Expression? node) => Found ? node : base.Visit(node);

        protected override Expression VisitParameter(ParameterExpression node)
        {
            Found |= node == parameter;
            return node;
        }
    }
}
