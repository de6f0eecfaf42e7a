export default function AuctionRoom() {
  return null;
}
