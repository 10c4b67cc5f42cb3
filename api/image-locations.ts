/**
 * Which images the API may be asked to read. Local paths must resolve — every symlink
 * followed — to a file inside one of the configured allowed roots; URLs must be http(s) and
 * name an allowed host. So the API cannot be used to read arbitrary files or to reach
 * internal hosts.
 */
import { realpath, stat } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { ApiError } from "./errors.js";

export class ImageLocations {
  private constructor(
    /** The allowed roots, each as configured (absolute) and as its real path. */
    private readonly roots: { given: string; real: string }[],
    private readonly hosts: Set<string>,
  ) {}

  /** Resolves the roots once; a root that does not exist is left out (nothing can be in it). */
  static async create(
    allowedRoots: readonly string[],
    allowedUrlHosts: readonly string[],
  ): Promise<ImageLocations> {
    const roots: { given: string; real: string }[] = [];
    for (const root of allowedRoots) {
      const real = await realpath(resolve(root)).catch(() => null);
      if (real !== null) roots.push({ given: resolve(root), real });
    }
    return new ImageLocations(roots, new Set(allowedUrlHosts.map((h) => h.toLowerCase())));
  }

  /**
   * The location to hand to the pipeline: the file's real path, or the URL as given.
   * Throws a 400 ApiError naming `field` and the problem.
   */
  async check(field: string, location: string): Promise<string> {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return this.checkUrl(field, location);
    return this.checkPath(field, location);
  }

  private checkUrl(field: string, location: string): string {
    let url: URL;
    try {
      url = new URL(location);
    } catch {
      throw refuse(field, `${location} is not a valid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw refuse(field, `${url.protocol} URLs are not accepted; use http(s) or a path`);
    }
    if (url.username || url.password) throw refuse(field, "URLs with credentials are not accepted");
    const host = url.hostname.toLowerCase();
    if (!this.hosts.has(host) && !this.hosts.has(url.host.toLowerCase())) {
      throw refuse(field, `host ${url.host} is not an allowed URL host (api.allowedUrlHosts)`);
    }
    return url.href;
  }

  private async checkPath(field: string, location: string): Promise<string> {
    if (!isAbsolute(location)) throw refuse(field, `${location} is not an absolute path`);
    // `..` is refused outright, even where it would resolve inside a root: no guessing games.
    if (location.split(/[\\/]+/).includes("..")) throw refuse(field, `${location} contains '..'`);
    if (this.roots.length === 0) {
      throw refuse(field, "no allowed roots are configured (api.allowedRoots), so no local path is accepted");
    }
    // Decided on the name first, so the answer says nothing about files outside the roots.
    const named = resolve(location);
    if (!this.roots.some((root) => inside(root.given, named) || inside(root.real, named))) {
      throw refuse(field, `${location} is outside the allowed roots`);
    }
    const real = await realpath(named).catch(() => null);
    if (real === null) throw refuse(field, `${location} does not exist`);
    if (!this.roots.some((root) => inside(root.real, real))) {
      throw refuse(
        field,
        `${location} resolves (through a symbolic link) to ${real}, outside the allowed roots`,
      );
    }
    if (!(await stat(real)).isFile()) throw refuse(field, `${location} is not a file`);
    return real;
  }
}

function inside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

function refuse(field: string, problem: string): ApiError {
  return new ApiError(400, "E_LOCATION_NOT_ALLOWED", `${field}: ${problem}`);
}
