using System.Collections;
using System.Reflection;

namespace VrrpPS.Engine;

/// <summary>
/// Value equality for definition graphs (records holding lists of records): C# records compare
/// list members by reference, so two readings of the same file would always look "changed".
/// Used by reload to decide what really changed.
/// </summary>
internal static class StructuralEquality
{
    public static bool AreEqual(object? a, object? b, string? ignoreProperty = null)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }
        if (a is null || b is null || a.GetType() != b.GetType())
        {
            return false;
        }
        if (a is string || a.GetType().IsPrimitive || a.GetType().IsEnum || a is IEquatable<Protocol.IpAddressValue>)
        {
            return a.Equals(b);
        }
        if (a is IEnumerable ea && b is IEnumerable eb)
        {
            var la = ea.Cast<object?>().ToList();
            var lb = eb.Cast<object?>().ToList();
            return la.Count == lb.Count && la.Zip(lb).All(p => AreEqual(p.First, p.Second));
        }
        if (a.GetType().IsValueType)
        {
            return a.Equals(b);
        }
        foreach (var p in a.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.Name == ignoreProperty || p.Name == "EqualityContract")
            {
                continue;
            }
            if (!AreEqual(p.GetValue(a), p.GetValue(b)))
            {
                return false;
            }
        }
        return true;
    }
}
