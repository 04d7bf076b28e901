namespace VrrpPS.Engine;

/// <summary>Who a notify program runs as (keepalived: the user and group after the program, or script_user).</summary>
public sealed record ProgramUser(string User, string? Group = null);
