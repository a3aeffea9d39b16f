import { Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';

import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { RequireScope } from '../auth/require-scope.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { ApiProblemResponse } from '../common/openapi/epcis-binding.js';
import { API_KEY_AUTH } from '../common/openapi/openapi.js';
import { parseInstant } from './instant.js';
import {
  type LookupInput,
  lookupSchema,
  type LookupView,
  type MasterDataVersionsView,
  type MasterDataVersionView,
  type PutMasterDataInput,
  putLocationSchema,
  putLotSchema,
  putPartySchema,
  putProductSchema,
} from './masterdata.dto.js';
import {
  ApiGetMasterData,
  ApiListMasterDataVersions,
  ApiPutMasterData,
  ApiRecordPath,
  jsonSchema,
  LOOKUP_RESPONSE,
} from './masterdata.openapi.js';
import { MasterDataService, type PutResult } from './masterdata.service.js';
import { BodyPipe } from './body.pipe.js';

const GTIN = [
  'gtin',
  'A GTIN-8, -12, -13 or -14 with a valid check digit',
  '09506000134352',
] as const;
const LOT = [
  'lot',
  'A lot number (GS1 AI 10: 1–20 characters of CSET 82), percent-encoded',
  'L-2026/03',
] as const;
const LOCATION = [
  'id',
  'A 13-digit GLN, an SGLN EPC URI or a GS1 Digital Link …/414/{gln}[/254/{extension}], percent-encoded',
  'urn:epc:id:sgln:9506000.13435.0',
] as const;
const PGLN = ['pgln', 'A party GLN: 13 digits with a valid check digit', '9506000134376'] as const;

// 201 for a record's first version (with its Location), else 200.
const answer = (req: Request, res: Response, result: PutResult): MasterDataVersionView => {
  res.status(result.created ? 201 : 200);
  if (result.created) res.setHeader('Location', req.originalUrl.split('?')[0] ?? '');
  return result.view;
};

// Versioned master data (docs/specs/master-data.md). Thin: parse, call the service.
@ApiTags('Master data')
@Controller('masterdata')
export class MasterDataController {
  constructor(private readonly masterData: MasterDataService) {}

  @Put('products/:gtin')
  @RequireScope('capture')
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiRecordPath(...GTIN)
  @ApiPutMasterData(
    'product',
    putProductSchema,
    'Create or change the master data of a product (GTIN)',
  )
  async putProduct(
    @Param('gtin') gtin: string,
    @Body(new BodyPipe(putProductSchema)) body: PutMasterDataInput,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MasterDataVersionView> {
    return answer(req, res, await this.masterData.put({ kind: 'product', gtin }, body, principal));
  }

  @Public()
  @Get('products/:gtin')
  @ApiOperation({ summary: 'The master data of a product, now or at an instant' })
  @ApiRecordPath(...GTIN)
  @ApiGetMasterData('product')
  getProduct(
    @Param('gtin') gtin: string,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionView> {
    return this.masterData.get({ kind: 'product', gtin }, parseInstant(at), viewer);
  }

  @Public()
  @Get('products/:gtin/versions')
  @ApiOperation({ summary: 'Every version of the master data of a product, newest first' })
  @ApiRecordPath(...GTIN)
  @ApiListMasterDataVersions('product')
  productVersions(
    @Param('gtin') gtin: string,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionsView> {
    return this.masterData.versions({ kind: 'product', gtin }, viewer);
  }

  @Put('products/:gtin/lots/:lot')
  @RequireScope('capture')
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiRecordPath(...GTIN)
  @ApiRecordPath(...LOT)
  @ApiPutMasterData(
    'lot',
    putLotSchema,
    'Create or change the master data of a lot (GTIN + lot number)',
  )
  async putLot(
    @Param('gtin') gtin: string,
    @Param('lot') lot: string,
    @Body(new BodyPipe(putLotSchema)) body: PutMasterDataInput,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MasterDataVersionView> {
    return answer(req, res, await this.masterData.put({ kind: 'lot', gtin, lot }, body, principal));
  }

  @Public()
  @Get('products/:gtin/lots/:lot')
  @ApiOperation({ summary: 'The master data of a lot, now or at an instant' })
  @ApiRecordPath(...GTIN)
  @ApiRecordPath(...LOT)
  @ApiGetMasterData('lot')
  getLot(
    @Param('gtin') gtin: string,
    @Param('lot') lot: string,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionView> {
    return this.masterData.get({ kind: 'lot', gtin, lot }, parseInstant(at), viewer);
  }

  @Public()
  @Get('products/:gtin/lots/:lot/versions')
  @ApiOperation({ summary: 'Every version of the master data of a lot, newest first' })
  @ApiRecordPath(...GTIN)
  @ApiRecordPath(...LOT)
  @ApiListMasterDataVersions('lot')
  lotVersions(
    @Param('gtin') gtin: string,
    @Param('lot') lot: string,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionsView> {
    return this.masterData.versions({ kind: 'lot', gtin, lot }, viewer);
  }

  @Put('locations/:id')
  @RequireScope('capture')
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiRecordPath(...LOCATION)
  @ApiPutMasterData(
    'location',
    putLocationSchema,
    'Create or change the master data of a location (GLN / SGLN)',
  )
  async putLocation(
    @Param('id') id: string,
    @Body(new BodyPipe(putLocationSchema)) body: PutMasterDataInput,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MasterDataVersionView> {
    return answer(req, res, await this.masterData.put({ kind: 'location', id }, body, principal));
  }

  @Public()
  @Get('locations/:id')
  @ApiOperation({ summary: 'The master data of a location, now or at an instant' })
  @ApiRecordPath(...LOCATION)
  @ApiGetMasterData('location')
  getLocation(
    @Param('id') id: string,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionView> {
    return this.masterData.get({ kind: 'location', id }, parseInstant(at), viewer);
  }

  @Public()
  @Get('locations/:id/versions')
  @ApiOperation({ summary: 'Every version of the master data of a location, newest first' })
  @ApiRecordPath(...LOCATION)
  @ApiListMasterDataVersions('location')
  locationVersions(
    @Param('id') id: string,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionsView> {
    return this.masterData.versions({ kind: 'location', id }, viewer);
  }

  @Put('parties/:pgln')
  @RequireScope('capture')
  @ApiBearerAuth(API_KEY_AUTH)
  @ApiRecordPath(...PGLN)
  @ApiPutMasterData('party', putPartySchema, 'Create or change the master data of a party (PGLN)')
  async putParty(
    @Param('pgln') pgln: string,
    @Body(new BodyPipe(putPartySchema)) body: PutMasterDataInput,
    @CurrentPrincipal() principal: Principal,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MasterDataVersionView> {
    return answer(req, res, await this.masterData.put({ kind: 'party', pgln }, body, principal));
  }

  @Public()
  @Get('parties/:pgln')
  @ApiOperation({ summary: 'The master data of a party, now or at an instant' })
  @ApiRecordPath(...PGLN)
  @ApiGetMasterData('party')
  getParty(
    @Param('pgln') pgln: string,
    @Query('at') at: string | undefined,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionView> {
    return this.masterData.get({ kind: 'party', pgln }, parseInstant(at), viewer);
  }

  @Public()
  @Get('parties/:pgln/versions')
  @ApiOperation({ summary: 'Every version of the master data of a party, newest first' })
  @ApiRecordPath(...PGLN)
  @ApiListMasterDataVersions('party')
  partyVersions(
    @Param('pgln') pgln: string,
    @CurrentPrincipal() viewer: Principal | null,
  ): Promise<MasterDataVersionsView> {
    return this.masterData.versions({ kind: 'party', pgln }, viewer);
  }

  @Public()
  @Post('lookup')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Every version of the master data describing up to 500 identifiers, in one call',
    description:
      'For pages that show events: ids are canonical Digital Link URIs or any EPC URI / Digital Link. ' +
      'A lot or serialised item also brings its product (and lot); a location with an extension its site. ' +
      'Unknown identifiers are simply absent. Public attributes only.',
  })
  @ApiBody({ required: true, schema: jsonSchema(lookupSchema, 'input') })
  @ApiResponse({
    status: 200,
    description: 'The records found',
    content: { 'application/json': { schema: LOOKUP_RESPONSE } },
  })
  @ApiProblemResponse(400, 'ids is missing, not a list of strings, or longer than 500', [
    'ValidationException',
  ])
  lookup(@Body(new BodyPipe(lookupSchema)) body: LookupInput): Promise<LookupView> {
    return this.masterData.lookup(body.ids);
  }
}
