namespace VrrpPS.Tests;

/// <summary>
/// xunit trait values. Tests marked <c>[Trait(TestCategories.Key, TestCategories.Root)]</c> need root
/// (CAP_NET_ADMIN and CAP_SYS_ADMIN for network namespaces, raw sockets, netlink changes, chown, running
/// keepalived, switching users): they run in the README test command (as root), and a non-root
/// developer runs the rest with <c>dotnet test --filter Category!=Root</c> (build.ps1 Test does that
/// as an unprivileged user too, to keep the split honest).
/// </summary>
public static class TestCategories
{
    public const string Key = "Category";
    public const string Root = "Root";
}
