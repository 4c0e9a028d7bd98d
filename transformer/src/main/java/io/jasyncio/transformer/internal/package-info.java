/**
 * The transformer's passes over one class (not API). {@link io.jasyncio.transformer.Transformer#transform} runs
 * them in this order; each works on ASM's tree ({@code ClassNode}, {@code MethodNode}), as ASM separates its
 * analyzers, adapters and writers:
 * <ol>
 *   <li><b>Header</b> ({@link io.jasyncio.transformer.internal.ClassFileHeader}): version, name and woven marker
 *       read from the bytes without ASM, so that a class ASM cannot read, or one woven already for this protocol,
 *       is decided without parsing it.</li>
 *   <li><b>Classification</b> ({@code ClassWeaver.classify}): which methods are coroutines ({@code @Async}
 *       methods, lambda bodies that return {@code Coroutine} and await or return {@code done}), and the rules
 *       their declarations break; bridges are left alone. Which awaits can call their callee's body directly
 *       ({@code MethodWeaver.DirectTarget}: static, private and final coroutines of the same class).</li>
 *   <li><b>Analysis</b>, per coroutine ({@code MethodWeaver.weave}): {@code NewRelocator} moves a {@code new}
 *       whose constructor arguments await after them; {@code MethodAnalysis} computes the type of every value
 *       before each instruction ({@code TypeInterpreter} over {@code AsyncFrame}, type merges through
 *       {@code Hierarchy}) and which locals are live there; the rules of a body are checked on the way.</li>
 *   <li><b>Plan</b> ({@code SuspensionPlan}): a suspension point ({@code SuspensionPlan.Point}) per await, and
 *       for each the frame fields ({@code SuspensionPlan.Slot}) that keep what is live there, shared between
 *       points by kind; which awaits call their callee's body directly ({@code MethodWeaver.directCalls}), and
 *       which are linked at run time instead ({@code DirectAwaits}: other classes' and overridable methods).</li>
 *   <li><b>Emission</b>, sharing one {@code BodyLayout} (the body's name, descriptor and slots): the body, a
 *       state machine entered through its frame or called directly ({@code BodyEmitter}), the creator that
 *       replaces the original code ({@code CreatorEmitter}), and the frame class ({@code FrameClassGenerator}).</li>
 *   <li><b>Writing</b> ({@code WovenClassWriter}, called by {@code ClassWeaver.weave}): the class with its woven
 *       marker and its protocol field (for the run-time linker of direct calls), in one pass that computes the
 *       stack map frames of the rewritten methods only (the others keep javac's); the JVM's limits checked.</li>
 * </ol>
 * Every rule that fails the build is worded in {@code Rules}; a broken rule stops the class after the pass that
 * found it, with the problems of all its methods together.
 */
package io.jasyncio.transformer.internal;
