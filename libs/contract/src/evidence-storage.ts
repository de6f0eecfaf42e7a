import { Injectable } from '@nestjs/common';
import { TransactionHost } from '@nestjs-cls/transactional';
import { TransactionalAdapterTypeOrm } from '@nestjs-cls/transactional-adapter-typeorm';
import { createHash } from 'node:crypto';
import { ContractEvidence } from './entities/contract-milestone.entity';

export interface StoredEvidence {
  id: string;
  sha256: string;
  sizeBytes: number;
  contentType: string;
  fileName: string;
}

/**
 * Where evidence files are kept: a small port, so an object store can replace PostgreSQL without
 * touching performance tracking. Files are checked (type, size) before they reach it. api processes
 * keep nothing on disk.
 */
export abstract class EvidenceStorage {
  abstract put(file: {
    contractId: string;
    milestoneId: string;
    fileName: string;
    contentType: string;
    bytes: Buffer;
    uploadedBy: string;
  }): Promise<StoredEvidence>;

  abstract get(id: string): Promise<(StoredEvidence & { bytes: Buffer; contractId: string }) | null>;
}

/** The PostgreSQL adapter: the bytes in a bytea column, written in the caller's transaction. */
@Injectable()
export class PostgresEvidenceStorage extends EvidenceStorage {
  constructor(private readonly txHost: TransactionHost<TransactionalAdapterTypeOrm>) {
    super();
  }

  async put(file: Parameters<EvidenceStorage['put']>[0]): Promise<StoredEvidence> {
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const row = await this.txHost.tx.getRepository(ContractEvidence).save({
      contractId: file.contractId,
      milestoneId: file.milestoneId,
      fileName: file.fileName,
      contentType: file.contentType,
      sizeBytes: file.bytes.length,
      sha256,
      bytes: file.bytes,
      uploadedBy: file.uploadedBy,
    });
    return { id: row.id, sha256, sizeBytes: row.sizeBytes, contentType: row.contentType, fileName: row.fileName };
  }

  async get(id: string): Promise<(StoredEvidence & { bytes: Buffer; contractId: string }) | null> {
    const row = await this.txHost.tx
      .getRepository(ContractEvidence)
      .createQueryBuilder('e')
      .addSelect('e.bytes')
      .where('e.id = :id', { id })
      .getOne();
    return row && { ...row, bytes: row.bytes };
  }
}
