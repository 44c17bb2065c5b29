/** True while `pid` exists and is not a zombie. */
export declare function isProcessAlive(pid: number): boolean;
