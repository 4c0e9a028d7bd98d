/**
 * The jasyncio transformer and its hosts.
 *
 * <p>{@link io.jasyncio.transformer.Transformer} is a pure function over class bytes (its passes are described in
 * {@code io.jasyncio.transformer.internal}). Around it, in the order a build meets them:
 * <ol>
 *   <li>a {@link io.jasyncio.transformer.ClassFileLocator} (for a build, a
 *       {@link io.jasyncio.transformer.ClasspathLocator}) finds the classes the woven code refers to;</li>
 *   <li>{@link io.jasyncio.transformer.DirectoryWeaver} weaves a folder in place or a jar into a new one: lists it
 *       ({@code ClassFiles}; incremental, it stops there if nothing changed since its last run:
 *       {@code FolderState}), transforms every class in parallel and decides what to write ({@code WeavePlan}),
 *       collects the problems of all of them, then writes, or writes nothing;</li>
 *   <li>the hosts, {@link io.jasyncio.transformer.Main} (the command line), the Maven plugin and
 *       {@link io.jasyncio.transformer.Agent} (the java agent, class by class at load time), report through one
 *       {@link io.jasyncio.transformer.WeaveListener}.</li>
 * </ol>
 */
package io.jasyncio.transformer;
