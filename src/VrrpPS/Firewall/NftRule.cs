using System.Text.Json;

namespace VrrpPS.Firewall;

/// <summary>A rule from <c>nft -j list ruleset</c>: its handle, comment and expression list.</summary>
public sealed record NftRule(string Family, string Table, string Chain, long Handle, string? Comment, JsonElement Expr);
