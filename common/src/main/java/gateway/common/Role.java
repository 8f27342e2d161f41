package gateway.common;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The verticles a process can deploy, chosen by {@code GATEWAY_ROLES}. */
public enum Role {
  AUTH, CATALOG, BILLING, ROUTER;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code "auth,catalog"}; blank means every role. */
  public static Set<Role> parseList(String list) {
    if (list == null || list.isBlank()) {
      return EnumSet.allOf(Role.class);
    }
    EnumSet<Role> roles = EnumSet.noneOf(Role.class);
    for (String part : list.split(",")) {
      String name = part.trim();
      if (name.isEmpty()) {
        continue;
      }
      try {
        roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown role '" + name + "' in GATEWAY_ROLES (auth, catalog, billing, router)");
      }
    }
    return roles;
  }
}
