interface IdNode {
  readonly id: string;
  prev: IdNode | undefined;
  next: IdNode | undefined;
}

/**
 * Ids in insertion order with O(1) push, shift and remove: a doubly linked list indexed by id.
 * (Deleting the first key of a Map is not O(1) in V8: iterators skip the deleted slots one by one.)
 *
 * @example
 * ```ts
 * const open = new IdQueue();
 * open.push('G-1');
 * open.shift(); // 'G-1'
 * ```
 */
export class IdQueue implements Iterable<string> {
  private readonly nodes = new Map<string, IdNode>();
  private head: IdNode | undefined;
  private tail: IdNode | undefined;

  push(id: string): void {
    this.remove(id);
    const node: IdNode = { id, prev: this.tail, next: undefined };
    if (this.tail) this.tail.next = node;
    else this.head = node;
    this.tail = node;
    this.nodes.set(id, node);
  }

  shift(): string | undefined {
    const node = this.head;
    if (node) this.unlink(node);
    return node?.id;
  }

  remove(id: string): void {
    const node = this.nodes.get(id);
    if (node) this.unlink(node);
  }

  *[Symbol.iterator](): Iterator<string> {
    for (let node = this.head; node; node = node.next) yield node.id;
  }

  private unlink(node: IdNode): void {
    if (node.prev) node.prev.next = node.next;
    else this.head = node.next;
    if (node.next) node.next.prev = node.prev;
    else this.tail = node.prev;
    this.nodes.delete(node.id);
  }
}
